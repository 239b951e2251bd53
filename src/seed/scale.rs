//! Generated committees of any size, for benchmarks: `lvzhi seed --scale N`.
//!
//! A committee of `N` members in one term (第十届) with two years of records (2023 and 2024):
//! about 100 participations per member per year (the plenary session, standing-committee
//! meetings, special-committee and sector activities, and the activities of studios of about 50
//! members each), four training classes a year, about one proposal and one public-opinion report
//! per two members a year (a third of them jointly signed), and one duty item per member a year.
//! The draw depends only on `N`: the same rows on every run and on either database.
//!
//! Rows are written with their ids in multi-row INSERT statements inside one transaction, so a
//! run is all or nothing; on PostgreSQL the id sequences are then moved past the written ids.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend,
    EntityTrait, Iterable,
};

use super::{
    AccountScopes, DEMO_PASSWORD, create_accounts, is_empty,
    names::{COMMITTEES, CURRENT_TERM, FEMALE_GIVEN, HANDLING_UNITS, MALE_GIVEN, SECTORS, SURNAMES, TOWNS},
};
use crate::{
    error::{AppError, AppResult},
    member::names::{initials_key, pinyin_key},
};
use entity::{
    activity, committee_membership, duty_item,
    enums::{
        ActivityKind, ActivityStatus, ActivitySubkind, AdoptionLevel, Attendance, CommitteeRole, DutyItemKind,
        DutyItemStatus, Gender, LeaveStatus, OpinionStatus, OrganiserKind, ParticipationRole, Party, ProposalKind,
        ProposalStatus, ProposerType, RegionLevel, SeatStatus, SignerRole, StudioKind, StudioRole, TrainingKind,
    },
    handling_unit, leave_request, member, opinion_adoption, opinion_author, opinion_report, participation, proposal,
    proposal_signer, region, seat, sector, special_committee, studio, studio_assignment, term, training_attendance,
    training_session,
};

/// The years that get records.
pub const YEARS: [i32; 2] = [2023, 2024];
/// Members per studio.
const STUDIO_SIZE: u64 = 50;
/// Members per town or street.
const TOWN_SIZE: u64 = 600;
/// Activities a year: of each special committee, of each sector, of each studio.
const COMMITTEE_ACTIVITIES: u64 = 20;
const SECTOR_ACTIVITIES: u64 = 19;
const STUDIO_ACTIVITIES: u64 = 60;
/// Standing-committee meetings a year.
const STANDING_MEETINGS: u64 = 6;
/// Training classes a year.
const TRAININGS: u64 = 4;
/// Bound parameters per INSERT statement: under SQLite's 32,766 (and PostgreSQL's 65,535).
const PARAMETERS: usize = 30_000;

/// What a generated committee holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScaleSummary {
    /// Members (all seated in the current term).
    pub members: u64,
    /// Studios.
    pub studios: u64,
    /// Activities over both years.
    pub activities: u64,
    /// Participations over both years.
    pub participations: u64,
    /// Training attendances over both years.
    pub training_attendances: u64,
    /// Proposals over both years.
    pub proposals: u64,
    /// Public-opinion reports over both years.
    pub opinion_reports: u64,
    /// Duty items over both years.
    pub duty_items: u64,
    /// Accounts created (one per role, with the demo password).
    pub accounts: usize,
}

/// Told how far the generator has got.
pub trait Progress: Sync {
    /// A new stage with this many steps.
    fn stage(&self, name: &str, steps: u64);
    /// Steps done in the current stage.
    fn advance(&self, steps: u64);
}

/// Reports nothing.
impl Progress for () {
    fn stage(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
}

/// A deterministic hash of a few numbers (SplitMix64 finaliser): the "draw" of the generator.
fn mix(parts: &[u64]) -> u64 {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for &p in parts {
        x ^= p.wrapping_add(0x9e37_79b9_7f4a_7c15).wrapping_add(x << 6).wrapping_add(x >> 2);
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^= x >> 31;
    }
    x
}

fn pick<T: Copy>(items: &[T], draw: u64) -> T {
    items[(draw % items.len() as u64) as usize]
}

fn char_at(text: &str, draw: u64) -> char {
    let count = text.chars().count() as u64;
    text.chars().nth((draw % count) as usize).unwrap_or('明')
}

fn id(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn day_of(year: i32, ordinal: u64) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    first + Days::new(ordinal % 360)
}

fn midnight(date: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    NaiveDateTime::new(date, NaiveTime::MIN).and_utc()
}

/// Rows of one table, written in multi-row INSERT statements as they fill up.
struct Bulk<'a, A: ActiveModelTrait> {
    txn: &'a DatabaseTransaction,
    rows: Vec<A>,
    chunk: usize,
    written: u64,
    progress: &'a dyn Progress,
}

impl<'a, A: ActiveModelTrait + Send> Bulk<'a, A> {
    fn new(txn: &'a DatabaseTransaction, parameters: usize, progress: &'a dyn Progress) -> Self {
        let columns = <A::Entity as EntityTrait>::Column::iter().count().max(1);
        let chunk = (parameters / columns).max(1);
        Self { txn, rows: Vec::with_capacity(chunk), chunk, written: 0, progress }
    }

    async fn push(&mut self, row: A) -> AppResult<()> {
        self.rows.push(row);
        if self.rows.len() >= self.chunk {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> AppResult<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = std::mem::replace(&mut self.rows, Vec::with_capacity(self.chunk));
        let n = rows.len() as u64;
        A::Entity::insert_many(rows).exec_without_returning(self.txn).await?;
        self.written += n;
        self.progress.advance(n);
        Ok(())
    }

    /// Writes what is left; returns how many rows were written in all.
    async fn finish(mut self) -> AppResult<u64> {
        self.flush().await?;
        Ok(self.written)
    }
}

/// The shape of a committee of `members` members.
#[derive(Clone, Copy, Debug)]
struct Shape {
    members: u64,
    sectors: u64,
    committees: u64,
    towns: u64,
    studios: u64,
    /// Bound parameters per INSERT.
    parameters: usize,
}

impl Shape {
    fn new(members: u64) -> Self {
        Self {
            parameters: PARAMETERS,
            members,
            sectors: SECTORS.len() as u64,
            committees: COMMITTEES.len() as u64,
            towns: members.div_ceil(TOWN_SIZE).max(1),
            studios: members.div_ceil(STUDIO_SIZE).max(1),
        }
    }

    /// Member `m` (1-based): sector, committee and studio indexes (0-based).
    fn sector_of(self, m: u64) -> u64 {
        (m - 1) % self.sectors
    }
    fn committee_of(self, m: u64) -> u64 {
        (m - 1) % self.committees
    }
    fn studio_of(self, m: u64) -> u64 {
        (m - 1) / STUDIO_SIZE
    }
    fn standing(m: u64) -> bool {
        m % 10 == 1
    }
    /// Members of sector `s`, committee `c`, studio `st` (1-based ids).
    fn in_sector(self, s: u64) -> impl Iterator<Item = u64> {
        (s + 1..=self.members).step_by(self.sectors as usize)
    }
    fn in_committee(self, c: u64) -> impl Iterator<Item = u64> {
        (c + 1..=self.members).step_by(self.committees as usize)
    }
    fn in_studio(self, st: u64) -> impl Iterator<Item = u64> {
        st * STUDIO_SIZE + 1..=((st + 1) * STUDIO_SIZE).min(self.members)
    }
}

/// Generates a committee of `members` members into an empty database, all or nothing, with one
/// account per role (demo password). CONFLICT when the database already has terms or members.
pub async fn generate(db: &DatabaseConnection, members: u64, progress: &dyn Progress) -> AppResult<ScaleSummary> {
    generate_in_chunks(db, members, PARAMETERS, progress).await
}

/// [`generate`] with at most `parameters` bound parameters per INSERT (tests use small ones so
/// that every table is written in several statements).
#[doc(hidden)]
pub async fn generate_in_chunks(
    db: &DatabaseConnection,
    members: u64,
    parameters: usize,
    progress: &dyn Progress,
) -> AppResult<ScaleSummary> {
    if members == 0 {
        return Err(AppError::bad_field("scale", "the scale must be at least 1 member"));
    }
    let txn = crate::db::begin(db).await?;
    let outcome = match is_empty(&txn).await {
        Ok(true) => write(&txn, Shape { parameters, ..Shape::new(members) }, progress).await,
        Ok(false) => Err(AppError::Conflict(
            "the database already has terms or members; a generated committee goes into an empty one".to_owned(),
        )),
        Err(err) => Err(err),
    };
    let summary = crate::db::finish(txn, outcome).await?;
    // PostgreSQL plans with statistics that autovacuum gathers only some time after a bulk load;
    // until then it plans as if the tables were small (an assessment run right after seeding
    // took 7.7 s instead of 5.1 s at 10,000 members). SQLite's planner needs none.
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(summary)
}

async fn write(txn: &DatabaseTransaction, shape: Shape, progress: &dyn Progress) -> AppResult<ScaleSummary> {
    let mut summary = ScaleSummary { members: shape.members, studios: shape.studios, ..Default::default() };
    organisation(txn, shape, progress).await?;
    people(txn, shape, progress).await?;
    let (activities, participations) = activities(txn, shape, progress).await?;
    summary.activities = activities;
    summary.participations = participations;
    summary.training_attendances = training(txn, shape, progress).await?;
    (summary.proposals, summary.opinion_reports) = proposals_and_reports(txn, shape, progress).await?;
    summary.duty_items = duty_items(txn, shape, progress).await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        for table in [
            "term",
            "sector",
            "special_committee",
            "region",
            "studio",
            "handling_unit",
            "member",
            "seat",
            "committee_membership",
            "studio_assignment",
            "activity",
            "participation",
            "leave_request",
            "training_session",
            "training_attendance",
            "proposal",
            "proposal_signer",
            "opinion_report",
            "opinion_author",
            "opinion_adoption",
            "duty_item",
        ] {
            txn.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))
            .await?;
        }
    }
    let first_member = (format!("{:05}", 1), member_name(1), 1);
    summary.accounts = create_accounts(
        txn,
        &AccountScopes {
            committee_id: Some(1),
            studio_id: Some(1),
            handling_unit_id: Some(1),
            sector_id: Some(1),
            // The scaled committee has no groups: no group lead account.
            group_id: None,
            member: first_member,
        },
    )
    .await?;
    tracing::info!(password = DEMO_PASSWORD, "generated committee: accounts use the demo password");
    Ok(summary)
}

async fn organisation(txn: &DatabaseTransaction, shape: Shape, progress: &dyn Progress) -> AppResult<()> {
    progress.stage("organisation", shape.towns + shape.studios);
    term::Entity::insert(term::ActiveModel {
        id: Set(1),
        number: Set(CURRENT_TERM.number),
        name: Set(CURRENT_TERM.name.to_owned()),
        start_date: Set(CURRENT_TERM.start),
        end_date: Set(CURRENT_TERM.end),
    })
    .exec_without_returning(txn)
    .await?;
    let mut sectors = Bulk::new(txn, shape.parameters, progress);
    for (i, s) in SECTORS.iter().enumerate() {
        let n = i as i64 + 1;
        sectors
            .push(sector::ActiveModel { id: Set(n), name: Set(s.name.to_owned()), sort_order: Set(n as i32) })
            .await?;
    }
    sectors.finish().await?;
    let mut committees = Bulk::new(txn, shape.parameters, progress);
    for (i, c) in COMMITTEES.iter().enumerate() {
        let n = i as i64 + 1;
        committees
            .push(special_committee::ActiveModel { id: Set(n), name: Set(c.0.to_owned()), sort_order: Set(n as i32) })
            .await?;
    }
    committees.finish().await?;
    let mut regions = Bulk::new(txn, shape.parameters, progress);
    for t in 0..shape.towns {
        let name = match TOWNS.get(t as usize) {
            Some(town) => town.name.to_owned(),
            None => format!("第{}街道", t + 1),
        };
        regions
            .push(region::ActiveModel {
                id: Set(id(t + 1)),
                name: Set(name),
                level: Set(if t.is_multiple_of(3) { RegionLevel::Street } else { RegionLevel::Town }),
                parent_id: Set(None),
                sort_order: Set(i32::try_from(t + 1).unwrap_or(i32::MAX)),
            })
            .await?;
    }
    regions.finish().await?;
    let mut studios = Bulk::new(txn, shape.parameters, progress);
    for st in 0..shape.studios {
        let town = st * STUDIO_SIZE / TOWN_SIZE;
        studios
            .push(studio::ActiveModel {
                id: Set(id(st + 1)),
                name: Set(format!("委员工作室{:04}", st + 1)),
                kind: Set(StudioKind::Town),
                region_id: Set(Some(id(town + 1))),
                sector_id: Set(None),
                address: Set(None),
                established_on: Set(Some(CURRENT_TERM.start)),
            })
            .await?;
    }
    studios.finish().await?;
    let mut units = Bulk::new(txn, shape.parameters, progress);
    for (i, name) in HANDLING_UNITS.iter().enumerate() {
        units
            .push(handling_unit::ActiveModel {
                id: Set(i as i64 + 1),
                name: Set((*name).to_owned()),
                contact: Set(None),
            })
            .await?;
    }
    units.finish().await?;
    Ok(())
}

/// The generated name of member `m`: a surname and one or two given characters.
fn member_name(m: u64) -> String {
    let draw = mix(&[1, m]);
    let surname = pick(SURNAMES, draw).0;
    let given = if m.is_multiple_of(2) { MALE_GIVEN } else { FEMALE_GIVEN };
    let mut name = String::from(surname);
    name.push(char_at(given, draw >> 8));
    if draw % 10 >= 3 {
        name.push(char_at(given, draw >> 24));
    }
    name
}

async fn people(txn: &DatabaseTransaction, shape: Shape, progress: &dyn Progress) -> AppResult<()> {
    progress.stage("members", shape.members * 4);
    let registered = midnight(CURRENT_TERM.start);
    let parties = [Party::Cpc, Party::Cpc, Party::NonParty, Party::Rcck, Party::Cdl, Party::Jiusan, Party::Capd];
    let mut members = Bulk::new(txn, shape.parameters, progress);
    let mut seats = Bulk::new(txn, shape.parameters, progress);
    let mut committees = Bulk::new(txn, shape.parameters, progress);
    let mut studios = Bulk::new(txn, shape.parameters, progress);
    for m in 1..=shape.members {
        let name = member_name(m);
        let draw = mix(&[2, m]);
        let birth = NaiveDate::from_ymd_opt(
            1958 + (draw % 33) as i32,
            1 + (draw >> 8) as u32 % 12,
            1 + (draw >> 16) as u32 % 28,
        );
        members
            .push(member::ActiveModel {
                id: Set(id(m)),
                name_pinyin: Set(pinyin_key(&name)),
                name_initials: Set(initials_key(&name)),
                name_folded: Set(Some(crate::member::names::fold(&name))),
                name: Set(name),
                gender: Set(Some(if m.is_multiple_of(2) { Gender::Male } else { Gender::Female })),
                ethnicity: Set(Some("汉族".to_owned())),
                birth_date: Set(birth),
                phone: Set(Some(format!("139{:08}", m))),
                notes: Set(None),
                created_at: Set(registered),
                updated_at: Set(registered),
            })
            .await?;
    }
    // Members first: seats and placements refer to them.
    members.finish().await?;
    for m in 1..=shape.members {
        let draw = mix(&[2, m]);
        seats
            .push(seat::ActiveModel {
                id: Set(id(m)),
                member_id: Set(id(m)),
                term_id: Set(1),
                member_number: Set(Some(format!("{m:05}"))),
                sector_id: Set(Some(id(shape.sector_of(m) + 1))),
                party: Set(pick(&parties, draw >> 32)),
                standing_committee: Set(Shape::standing(m)),
                leadership_post: Set(None),
                employer: Set(Some(format!("第{}单位", draw % 997 + 1))),
                status: Set(SeatStatus::Serving),
                start_date: Set(CURRENT_TERM.start),
                end_date: Set(None),
                status_reason: Set(None),
            })
            .await?;
        let committee = shape.committee_of(m);
        committees
            .push(committee_membership::ActiveModel {
                id: Set(id(m)),
                member_id: Set(id(m)),
                committee_id: Set(id(committee + 1)),
                role: Set(if m <= shape.committees { CommitteeRole::Director } else { CommitteeRole::Member }),
                start_date: Set(CURRENT_TERM.start),
                end_date: Set(None),
                voided_at: Set(None),
                voided_by: Set(None),
                void_reason: Set(None),
            })
            .await?;
        let studio = shape.studio_of(m);
        studios
            .push(studio_assignment::ActiveModel {
                id: Set(id(m)),
                member_id: Set(id(m)),
                studio_id: Set(id(studio + 1)),
                role: Set(if (m - 1) % STUDIO_SIZE == 0 { StudioRole::Lead } else { StudioRole::Member }),
                start_date: Set(CURRENT_TERM.start),
                end_date: Set(None),
                voided_at: Set(None),
                voided_by: Set(None),
                void_reason: Set(None),
            })
            .await?;
    }
    seats.finish().await?;
    committees.finish().await?;
    studios.finish().await?;
    Ok(())
}

/// An activity to generate: kind, subkind, organiser, and whether attendance is compulsory.
struct Spec {
    title: String,
    kind: ActivityKind,
    subkind: Option<ActivitySubkind>,
    organiser: OrganiserKind,
    committee_id: Option<i64>,
    sector_id: Option<i64>,
    studio_id: Option<i64>,
    compulsory: bool,
    people_served: Option<i32>,
}

fn attendance(draw: u64, compulsory: bool) -> Attendance {
    match draw % 100 {
        0..80 => Attendance::Present,
        80..85 => Attendance::Late,
        85..87 => Attendance::LeftEarly,
        87..97 => Attendance::Excused,
        _ if compulsory && !draw.is_multiple_of(7) => Attendance::Excused,
        _ => Attendance::Absent,
    }
}

async fn activities(txn: &DatabaseTransaction, shape: Shape, progress: &dyn Progress) -> AppResult<(u64, u64)> {
    let per_year = 1
        + STANDING_MEETINGS
        + shape.committees * COMMITTEE_ACTIVITIES
        + shape.sectors * SECTOR_ACTIVITIES
        + shape.studios * STUDIO_ACTIVITIES;
    progress.stage("activities", per_year * YEARS.len() as u64);
    let mut activities = Bulk::new(txn, shape.parameters, &());
    let mut participations = Bulk::new(txn, shape.parameters, &());
    let mut leaves = Bulk::new(txn, shape.parameters, &());
    let (mut activity_id, mut participation_id, mut leave_id) = (0u64, 0u64, 0u64);
    let committee_kinds = [
        (ActivityKind::SpecialCommitteeMeeting, None),
        (ActivityKind::Consultation, Some(ActivitySubkind::ThematicConsultation)),
        (ActivityKind::Inspection, None),
        (ActivityKind::Research, None),
        (ActivityKind::DemocraticSupervision, None),
    ];
    let sector_kinds = [
        (ActivityKind::Study, Some(ActivitySubkind::TheoryStudy)),
        (ActivityKind::Consultation, Some(ActivitySubkind::SectorConsultation)),
        (ActivityKind::Reading, None),
    ];
    let studio_kinds = [
        (ActivityKind::StudioReception, Some(ActivitySubkind::PeoplesLivelihoodHall)),
        (ActivityKind::VolunteerService, None),
        (ActivityKind::Research, None),
    ];
    for year in YEARS {
        // Every activity of the year with its participants, in a fixed order.
        let mut specs: Vec<(Spec, Box<dyn Iterator<Item = u64>>)> = Vec::new();
        let office = |title: String, kind, compulsory| Spec {
            title,
            kind,
            subkind: None,
            organiser: OrganiserKind::Office,
            committee_id: None,
            sector_id: None,
            studio_id: None,
            compulsory,
            people_served: None,
        };
        specs.push((
            office(format!("{year}年全体委员会议"), ActivityKind::PlenarySession, true),
            Box::new(1..=shape.members),
        ));
        for k in 0..STANDING_MEETINGS {
            specs.push((
                office(format!("{year}年常委会议（第{}次）", k + 1), ActivityKind::StandingCommitteeMeeting, true),
                Box::new((1..=shape.members).filter(|&m| Shape::standing(m))),
            ));
        }
        for c in 0..shape.committees {
            for k in 0..COMMITTEE_ACTIVITIES {
                let (kind, subkind) = pick(&committee_kinds, k);
                let mut spec = office(format!("{}{year}年活动{}", COMMITTEES[c as usize].0, k + 1), kind, false);
                spec.subkind = subkind;
                spec.organiser = OrganiserKind::SpecialCommittee;
                spec.committee_id = Some(id(c + 1));
                spec.compulsory = kind == ActivityKind::SpecialCommitteeMeeting;
                specs.push((spec, Box::new(shape.in_committee(c))));
            }
        }
        for s in 0..shape.sectors {
            for k in 0..SECTOR_ACTIVITIES {
                let (kind, subkind) = pick(&sector_kinds, k);
                let mut spec = office(format!("{}界{year}年活动{}", SECTORS[s as usize].name, k + 1), kind, false);
                spec.subkind = subkind;
                spec.organiser = OrganiserKind::Sector;
                spec.sector_id = Some(id(s + 1));
                specs.push((spec, Box::new(shape.in_sector(s))));
            }
        }
        for st in 0..shape.studios {
            for k in 0..STUDIO_ACTIVITIES {
                let (kind, subkind) = pick(&studio_kinds, k);
                let mut spec = office(format!("委员工作室{:04}·{year}年活动{}", st + 1, k + 1), kind, false);
                spec.subkind = subkind;
                spec.organiser = OrganiserKind::Studio;
                spec.studio_id = Some(id(st + 1));
                spec.people_served = (kind == ActivityKind::VolunteerService).then_some(20 + (k % 30) as i32);
                specs.push((spec, Box::new(shape.in_studio(st))));
            }
        }
        // The activities first (participations refer to them), then their participants.
        let mut written = Vec::with_capacity(specs.len());
        for (spec, participants) in specs {
            activity_id += 1;
            let date = day_of(year, mix(&[3, activity_id]) % 330 + 10);
            let created = midnight(date);
            written.push((activity_id, date, spec.compulsory, participants));
            activities
                .push(activity::ActiveModel {
                    id: Set(id(activity_id)),
                    title: Set(spec.title),
                    kind: Set(spec.kind),
                    subkind: Set(spec.subkind),
                    organiser_kind: Set(spec.organiser),
                    committee_id: Set(spec.committee_id),
                    sector_id: Set(spec.sector_id),
                    studio_id: Set(spec.studio_id),
                    group_id: Set(None),
                    start_date: Set(date),
                    end_date: Set(date),
                    location: Set(None),
                    status: Set(ActivityStatus::Done),
                    compulsory: Set(spec.compulsory),
                    issues_solved: Set(None),
                    people_served: Set(spec.people_served),
                    donations_fen: Set(None),
                    description: Set(None),
                    created_at: Set(created),
                    updated_at: Set(created),
                    closed_at: Set(Some(created)),
                    closed_by: Set(None),
                    voided_at: Set(None),
                    voided_by: Set(None),
                    void_reason: Set(None),
                })
                .await?;
        }
        activities.flush().await?;
        for (activity, date, compulsory, participants) in written {
            for m in participants {
                participation_id += 1;
                let draw = mix(&[4, activity, m]);
                let role = if draw.is_multiple_of(53) {
                    ParticipationRole::Speaker
                } else if draw.is_multiple_of(97) {
                    ParticipationRole::WrittenSpeech
                } else {
                    ParticipationRole::Participant
                };
                let mark = attendance(draw >> 8, compulsory);
                // About 2% of those at an optional activity came without being expected (列席).
                let invited = compulsory || draw % 50 != 49;
                participations
                    .push(participation::ActiveModel {
                        id: Set(id(participation_id)),
                        activity_id: Set(id(activity)),
                        member_id: Set(id(m)),
                        activity_date: Set(date),
                        attendance: Set(Some(mark)),
                        role: Set(role),
                        note: Set(None),
                        invited: Set(invited),
                    })
                    .await?;
                // Every excused invitee asked for leave and was approved; a third of the absent
                // ones asked and were refused; one request in ten came after the deadline.
                let refused = mark == Attendance::Absent && draw.is_multiple_of(3);
                if invited && (mark == Attendance::Excused || refused) {
                    leave_id += 1;
                    let asked = date.checked_sub_days(Days::new(if draw % 10 == 3 { 0 } else { 3 })).unwrap_or(date);
                    leaves
                        .push(leave_request::ActiveModel {
                            id: Set(id(leave_id)),
                            activity_id: Set(id(activity)),
                            member_id: Set(id(m)),
                            reason: Set(if refused { "家中有事" } else { "因公出差" }.to_owned()),
                            requested_at: Set(midnight(asked)),
                            late: Set(asked >= date),
                            status: Set(if refused { LeaveStatus::Refused } else { LeaveStatus::Approved }),
                            decided_by: Set(None),
                            decided_at: Set(Some(midnight(date))),
                            note: Set(None),
                        })
                        .await?;
                }
            }
            progress.advance(1);
        }
        participations.flush().await?;
    }
    activities.finish().await?;
    participations.finish().await?;
    leaves.finish().await?;
    Ok((activity_id, participation_id))
}

async fn training(txn: &DatabaseTransaction, shape: Shape, progress: &dyn Progress) -> AppResult<u64> {
    progress.stage("training", shape.members * TRAININGS * YEARS.len() as u64);
    let mut sessions = Bulk::new(txn, shape.parameters, &());
    let mut attendances = Bulk::new(txn, shape.parameters, progress);
    let (mut session_id, mut attendance_id) = (0u64, 0u64);
    for year in YEARS {
        for k in 0..TRAININGS {
            session_id += 1;
            let date = day_of(year, 60 + k * 80);
            sessions
                .push(training_session::ActiveModel {
                    id: Set(id(session_id)),
                    title: Set(format!("{year}年委员履职培训班（第{}期）", k + 1)),
                    kind: Set(if k.is_multiple_of(2) { TrainingKind::Class } else { TrainingKind::Online }),
                    organiser_kind: Set(OrganiserKind::Office),
                    committee_id: Set(None),
                    sector_id: Set(None),
                    studio_id: Set(None),
                    group_id: Set(None),
                    start_date: Set(date),
                    end_date: Set(date + Days::new(1)),
                    location: Set(None),
                    credit_tenths: Set(80),
                    created_at: Set(midnight(date)),
                    voided_at: Set(None),
                    voided_by: Set(None),
                    void_reason: Set(None),
                })
                .await?;
            sessions.flush().await?;
            for m in 1..=shape.members {
                let draw = mix(&[5, session_id, m]);
                if draw.is_multiple_of(10) {
                    progress.advance(1);
                    continue;
                }
                attendance_id += 1;
                attendances
                    .push(training_attendance::ActiveModel {
                        id: Set(id(attendance_id)),
                        session_id: Set(id(session_id)),
                        member_id: Set(id(m)),
                        hours_tenths: Set(if draw % 10 == 1 { 40 } else { 80 }),
                        completed: Set(draw % 10 != 1),
                    })
                    .await?;
            }
        }
    }
    sessions.finish().await?;
    attendances.finish().await
}

/// Co-signers (or co-authors) of joint work `k` by member `first`: none, or the next two.
fn partners(shape: Shape, k: u64, first: u64) -> Vec<u64> {
    if !k.is_multiple_of(3) || shape.members < 3 {
        return Vec::new();
    }
    vec![first % shape.members + 1, (first + 1) % shape.members + 1]
}

async fn proposals_and_reports(
    txn: &DatabaseTransaction,
    shape: Shape,
    progress: &dyn Progress,
) -> AppResult<(u64, u64)> {
    let per_year = shape.members.div_ceil(2);
    progress.stage("proposals and reports", per_year * 2 * YEARS.len() as u64);
    let mut proposals = Bulk::new(txn, shape.parameters, progress);
    let mut signers = Bulk::new(txn, shape.parameters, &());
    let mut reports = Bulk::new(txn, shape.parameters, progress);
    let mut authors = Bulk::new(txn, shape.parameters, &());
    let mut adoptions = Bulk::new(txn, shape.parameters, &());
    let (mut proposal_id, mut signer_id, mut report_id, mut author_id, mut adoption_id) =
        (0u64, 0u64, 0u64, 0u64, 0u64);
    for year in YEARS {
        // Children wait until their parents are written.
        let (mut pending_signers, mut pending_authors, mut pending_adoptions) = (Vec::new(), Vec::new(), Vec::new());
        for k in 1..=per_year {
            proposal_id += 1;
            let first = (k * 2 - 1 + u64::from(year == YEARS[1])) % shape.members + 1;
            let draw = mix(&[6, proposal_id]);
            let submitted = day_of(year, draw % 60);
            let status = match draw % 10 {
                0..7 => ProposalStatus::Accepted,
                7 => ProposalStatus::NotAccepted,
                _ => ProposalStatus::Submitted,
            };
            let accepted = status == ProposalStatus::Accepted;
            let joint = !partners(shape, k, first).is_empty();
            let created = midnight(submitted);
            proposals
                .push(proposal::ActiveModel {
                    id: Set(id(proposal_id)),
                    year: Set(year),
                    session: Set(None),
                    kind: Set(ProposalKind::Regular),
                    proposer_type: Set(if joint { ProposerType::Joint } else { ProposerType::Individual }),
                    collective_name: Set(None),
                    title: Set(format!("关于推进第{}项民生实事的建议", proposal_id)),
                    category: Set(None),
                    situation: Set(None),
                    analysis: Set(None),
                    suggestions: Set("建议有关部门加强统筹、完善机制、落实责任。".to_owned()),
                    submitted_on: Set(submitted),
                    status: Set(status),
                    serial_number: Set(accepted.then(|| format!("{year}-{k:05}"))),
                    accepted_on: Set(accepted.then(|| submitted + Days::new(20))),
                    not_accepted_reason: Set((status == ProposalStatus::NotAccepted)
                        .then_some(entity::enums::NotAcceptedReason::NoConcreteSuggestion)),
                    merged_into_id: Set(None),
                    due_date: Set(None),
                    answered_on: Set(None),
                    result_class: Set(None),
                    met_proposer: Set(None),
                    feedback: Set(None),
                    key_proposal: Set(accepted && draw.is_multiple_of(40)),
                    supervising_leader: Set(None),
                    excellent: Set(accepted && draw % 60 == 1),
                    latest_action_id: Set(None),
                    created_at: Set(created),
                    updated_at: Set(created),
                    voided_at: Set(None),
                    voided_by: Set(None),
                    void_reason: Set(None),
                })
                .await?;
            signer_id += 1;
            pending_signers.push(proposal_signer::ActiveModel {
                id: Set(id(signer_id)),
                proposal_id: Set(id(proposal_id)),
                member_id: Set(id(first)),
                role: Set(SignerRole::First),
            });
            for co in partners(shape, k, first) {
                signer_id += 1;
                pending_signers.push(proposal_signer::ActiveModel {
                    id: Set(id(signer_id)),
                    proposal_id: Set(id(proposal_id)),
                    member_id: Set(id(co)),
                    role: Set(SignerRole::Co),
                });
            }

            report_id += 1;
            let author = (k * 2 + u64::from(year == YEARS[0])) % shape.members + 1;
            let draw = mix(&[7, report_id]);
            let submitted = day_of(year, draw % 330);
            let adopted = draw.is_multiple_of(4);
            reports
                .push(opinion_report::ActiveModel {
                    id: Set(id(report_id)),
                    year: Set(year),
                    submitted_on: Set(submitted),
                    title: Set(format!("关于第{report_id}个社情民意问题的反映")),
                    body: Set("群众反映的问题及建议。".to_owned()),
                    status: Set(if adopted { OpinionStatus::Adopted } else { OpinionStatus::Submitted }),
                    source_proposal_id: Set(None),
                    created_at: Set(midnight(submitted)),
                    updated_at: Set(midnight(submitted)),
                    voided_at: Set(None),
                    voided_by: Set(None),
                    void_reason: Set(None),
                })
                .await?;
            author_id += 1;
            pending_authors.push(opinion_author::ActiveModel {
                id: Set(id(author_id)),
                report_id: Set(id(report_id)),
                member_id: Set(id(author)),
                role: Set(SignerRole::First),
            });
            for co in partners(shape, k + 1, author) {
                author_id += 1;
                pending_authors.push(opinion_author::ActiveModel {
                    id: Set(id(author_id)),
                    report_id: Set(id(report_id)),
                    member_id: Set(id(co)),
                    role: Set(SignerRole::Co),
                });
            }
            if adopted {
                adoption_id += 1;
                let level = pick(
                    &[AdoptionLevel::Local, AdoptionLevel::Local, AdoptionLevel::City, AdoptionLevel::Province],
                    draw >> 8,
                );
                pending_adoptions.push(opinion_adoption::ActiveModel {
                    id: Set(id(adoption_id)),
                    report_id: Set(id(report_id)),
                    level: Set(level),
                    adopted_on: Set(submitted + Days::new(15)),
                    channel: Set(None),
                    instruction_level: Set(None),
                    instruction_leader: Set(None),
                    instruction_text: Set(None),
                });
            }
        }
        proposals.flush().await?;
        reports.flush().await?;
        for row in pending_signers {
            signers.push(row).await?;
        }
        for row in pending_authors {
            authors.push(row).await?;
        }
        for row in pending_adoptions {
            adoptions.push(row).await?;
        }
    }
    let proposals = proposals.finish().await?;
    signers.finish().await?;
    let reports = reports.finish().await?;
    authors.finish().await?;
    adoptions.finish().await?;
    Ok((proposals, reports))
}

async fn duty_items(txn: &DatabaseTransaction, shape: Shape, progress: &dyn Progress) -> AppResult<u64> {
    progress.stage("duty items", shape.members * YEARS.len() as u64);
    let kinds = [
        DutyItemKind::Speech,
        DutyItemKind::ResearchReport,
        DutyItemKind::Article,
        DutyItemKind::PublicWelfare,
        DutyItemKind::HistoricalMaterial,
        DutyItemKind::Award,
    ];
    let mut items = Bulk::new(txn, shape.parameters, progress);
    let mut item_id = 0u64;
    for year in YEARS {
        for m in 1..=shape.members {
            item_id += 1;
            let draw = mix(&[8, item_id]);
            let date = day_of(year, draw % 340);
            let kind = pick(&kinds, draw >> 8);
            items
                .push(duty_item::ActiveModel {
                    id: Set(id(item_id)),
                    member_id: Set(id(m)),
                    kind: Set(kind),
                    title: Set(format!("{}{}（{}）", date.year(), kind.label(), item_id)),
                    date: Set(date),
                    evidence: Set(None),
                    suggestions: Set(if kind == DutyItemKind::ResearchReport { 3 } else { 0 }),
                    status: Set(match draw % 20 {
                        0 => DutyItemStatus::Rejected,
                        1..4 => DutyItemStatus::Submitted,
                        _ => DutyItemStatus::Confirmed,
                    }),
                    review_note: Set(None),
                    reviewed_by: Set(None),
                    reviewed_at: Set(None),
                    created_at: Set(midnight(date)),
                    voided_at: Set(None),
                    voided_by: Set(None),
                    void_reason: Set(None),
                })
                .await?;
        }
    }
    items.finish().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shape_puts_every_member_in_one_sector_committee_and_studio() {
        let shape = Shape::new(1234);
        let mut sectors = 0;
        for s in 0..shape.sectors {
            sectors += shape.in_sector(s).inspect(|&m| assert_eq!(shape.sector_of(m), s)).count();
        }
        let mut committees = 0;
        for c in 0..shape.committees {
            committees += shape.in_committee(c).inspect(|&m| assert_eq!(shape.committee_of(m), c)).count();
        }
        let mut studios = 0;
        for st in 0..shape.studios {
            studios += shape.in_studio(st).inspect(|&m| assert_eq!(shape.studio_of(m), st)).count();
        }
        assert_eq!((sectors, committees, studios), (1234, 1234, 1234));
        assert_eq!(shape.studios, 25);
    }

    #[test]
    fn the_draw_is_fixed() {
        assert_eq!(mix(&[1, 2]), mix(&[1, 2]));
        assert_ne!(mix(&[1, 2]), mix(&[2, 1]));
        assert_eq!(member_name(7), member_name(7));
    }
}
