//! Members and seats in the API.

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};

use super::service::{self, MemberChanges, MemberFilter, MemberSort, NewMember, NewSeat, SeatChanges};
use crate::{
    auth::policy,
    context::ContextExt,
    error::AppError,
    loader,
    organisation::graphql::{CommitteeMembership, GroupMembership, Sector, StudioAssignment, Term, keep_current},
    pagination::PageArgs,
    relay::{CountedConnection, Kind, TotalCount, connection, decode_id, decode_opt, encode_id, nodes_select},
};
use entity::{
    enums::{Gender, LeadershipPost, Party, SeatStatus},
    member, seat, term,
};

/// A member (委员): a person, who may sit in several terms.
pub struct Member(pub member::Model);

impl Member {
    fn personal<'a, T>(&self, ctx: &Context<'_>, value: &'a Option<T>) -> Result<Option<&'a T>> {
        Ok(if policy::sees_personal_data(ctx.actor()?, self.0.id) { value.as_ref() } else { None })
    }
}

/// The current term of this request, looked up once.
async fn current_term(ctx: &Context<'_>) -> Result<Option<term::Model>, AppError> {
    ctx.loaders()?.current_term.load_one(()).await.map_err(|e| (*e).clone())
}

/// A total already known (from a batched first page), as a list's counter.
fn known_count(total: u64) -> crate::pagination::Counter {
    Box::new(move || Box::pin(async move { Ok(total) }))
}

/// Primes the first pages of the proposals and reports every member of a page asks for, and
/// what those pages select in turn: one query per list and argument set for the whole page.
async fn prefetch_records(ctx: &Context<'_>, ids: &[i64]) -> Result<(), AppError> {
    let l = ctx.loaders()?;
    let look = ctx.look_ahead();
    let actor = ctx.actor()?;
    for name in ["proposals", "opinionReports"] {
        for field in [look.field("nodes").field(name), look.field("edges").field("node").field(name)] {
            if !field.exists() {
                continue;
            }
            for (year, first, after) in crate::activity::graphql::arguments_of(&field) {
                let Ok(Some(limit)) = PageArgs { first, ..PageArgs::default() }.first_page_size() else { continue };
                if after {
                    continue;
                }
                if name == "proposals" {
                    let scope = policy::read_proposals(actor)?;
                    let keys = ids.iter().map(|&m| (m, year, limit, scope));
                    let pages = l.member_proposals.load_many(keys).await.map_err(|e| (*e).clone())?;
                    let rows: Vec<_> = pages.values().flat_map(|(page, _)| &page.rows).map(|(_, p)| p).collect();
                    crate::proposal::graphql::prefetch_for(l, &field, &rows).await?;
                } else {
                    let scope = policy::read_opinion_reports(actor)?;
                    let keys = ids.iter().map(|&m| (m, year, limit, scope));
                    let pages = l.member_opinion_reports.load_many(keys).await.map_err(|e| (*e).clone())?;
                    let rows: Vec<_> = pages.values().flat_map(|(page, _)| &page.rows).map(|(_, r)| r).collect();
                    crate::opinion::graphql::prefetch_for(l, &field, &rows).await?;
                }
            }
        }
    }
    Ok(())
}

/// Loads, level by level, what a page of members is about to ask for: one query per relation
/// and level for the whole page, so that the nodes' own loads find everything cached.
async fn prefetch(ctx: &Context<'_>, ids: &[i64]) -> Result<(), AppError> {
    let l = ctx.loaders()?;
    let wants = |path: &[&str]| nodes_select(ctx, path);
    let records = prefetch_records(ctx, ids);
    let ids = || ids.iter().copied();
    let seats = async {
        if wants(&["currentSeat"]) {
            current_term(ctx).await?;
        }
        if !(wants(&["currentSeat"]) || wants(&["seats"])) {
            return Ok::<_, AppError>(());
        }
        let seats: Vec<seat::Model> = loader::many(&l.seats_by_member, ids()).await?.into_iter().flatten().collect();
        if wants(&["currentSeat", "sector"]) || wants(&["seats", "sector"]) {
            loader::many(&l.sector, seats.iter().filter_map(|s| s.sector_id)).await?;
        }
        if wants(&["currentSeat", "term"]) || wants(&["seats", "term"]) {
            loader::many(&l.term, seats.iter().map(|s| s.term_id)).await?;
        }
        Ok(())
    };
    let committees = async {
        if wants(&["committeeMemberships"]) {
            let rows = loader::many(&l.committee_memberships_by_member, ids()).await?;
            if wants(&["committeeMemberships", "specialCommittee"]) {
                loader::many(&l.committee, rows.iter().flatten().map(|r| r.committee_id)).await?;
            }
        }
        Ok(())
    };
    let studios = async {
        if wants(&["studioAssignments"]) {
            let rows = loader::many(&l.studio_assignments_by_member, ids()).await?;
            if wants(&["studioAssignments", "studio"]) {
                let studios = loader::many(&l.studio, rows.iter().flatten().map(|r| r.studio_id)).await?;
                if wants(&["studioAssignments", "studio", "region"]) {
                    loader::many(&l.region, studios.iter().filter_map(|s| s.region_id)).await?;
                }
            }
        }
        Ok(())
    };
    let groups = async {
        if wants(&["groupMemberships"]) {
            let rows = loader::many(&l.group_memberships_by_member, ids()).await?;
            if wants(&["groupMemberships", "group"]) {
                loader::many(&l.group, rows.iter().flatten().map(|r| r.group_id)).await?;
            }
        }
        Ok(())
    };
    // Duty records: participations, attendance, training hours, duty items.
    let duty_ids: Vec<i64> = ids().collect();
    let duty = crate::activity::graphql::prefetch_members(ctx, &duty_ids);
    futures_util::try_join!(seats, committees, studios, groups, records, duty)?;
    Ok(())
}

#[Object]
impl Member {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Member, self.0.id)
    }
    /// Full name as written (汉字, simplified or traditional).
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Toneless pinyin of the name, e.g. "lixiaoqiu".
    async fn pinyin(&self) -> &str {
        &self.0.name_pinyin
    }
    /// Gender.
    async fn gender(&self) -> Option<Gender> {
        self.0.gender
    }
    /// Chinese label of the gender (男 / 女).
    async fn gender_label(&self) -> Option<&'static str> {
        self.0.gender.map(Gender::label)
    }
    /// Ethnicity (民族), e.g. "汉族".
    async fn ethnicity(&self) -> Option<&str> {
        self.0.ethnicity.as_deref()
    }
    /// Date of birth. Personal data: null unless the viewer is office staff or the member.
    async fn birth_date(&self, ctx: &Context<'_>) -> Result<Option<NaiveDate>> {
        Ok(self.personal(ctx, &self.0.birth_date)?.copied())
    }
    /// Mobile phone. Personal data: null unless the viewer is office staff or the member.
    async fn phone(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        Ok(self.personal(ctx, &self.0.phone)?.map(String::as_str))
    }
    /// The office's notes. Null unless the viewer is office staff or the member.
    async fn notes(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        Ok(self.personal(ctx, &self.0.notes)?.map(String::as_str))
    }
    /// The member's seats, one per term, oldest first.
    async fn seats(&self, ctx: &Context<'_>) -> Result<Vec<Seat>> {
        let seats = loader::one(&ctx.loaders()?.seats_by_member, self.0.id).await?.unwrap_or_default();
        Ok(seats.into_iter().map(Seat).collect())
    }
    /// The seat in the current term, if the member sits in it.
    async fn current_seat(&self, ctx: &Context<'_>) -> Result<Option<Seat>> {
        let Some(term) = current_term(ctx).await? else { return Ok(None) };
        let seats = loader::one(&ctx.loaders()?.seats_by_member, self.0.id).await?.unwrap_or_default();
        Ok(seats.into_iter().find(|s| s.term_id == term.id).map(Seat))
    }
    /// Special-committee memberships; `current: true` for those in force today, `false` for
    /// past ones, absent for all.
    async fn committee_memberships(
        &self,
        ctx: &Context<'_>,
        current: Option<bool>,
    ) -> Result<Vec<CommitteeMembership>> {
        let rows = loader::one(&ctx.loaders()?.committee_memberships_by_member, self.0.id).await?.unwrap_or_default();
        Ok(keep_current(rows, current, |r| r.end_date).into_iter().map(CommitteeMembership).collect())
    }
    /// Studio assignments; `current` as for committee memberships.
    async fn studio_assignments(&self, ctx: &Context<'_>, current: Option<bool>) -> Result<Vec<StudioAssignment>> {
        let rows = loader::one(&ctx.loaders()?.studio_assignments_by_member, self.0.id).await?.unwrap_or_default();
        Ok(keep_current(rows, current, |r| r.end_date).into_iter().map(StudioAssignment).collect())
    }
    /// Group memberships; `current` as for committee memberships.
    async fn group_memberships(&self, ctx: &Context<'_>, current: Option<bool>) -> Result<Vec<GroupMembership>> {
        let rows = loader::one(&ctx.loaders()?.group_memberships_by_member, self.0.id).await?.unwrap_or_default();
        Ok(keep_current(rows, current, |r| r.end_date).into_iter().map(GroupMembership).collect())
    }
    /// The proposals the member signed (first proposer or co-signer), newest first; `year`
    /// narrows them to one year. Visible as the `proposals` list is.
    #[graphql(complexity = "crate::relay::page_cost(first, None, child_complexity)")]
    async fn proposals(
        &self,
        ctx: &Context<'_>,
        year: Option<i32>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<crate::relay::CountedConnection<crate::proposal::graphql::Proposal>> {
        let args = PageArgs { first, after, last: None, before: None };
        let (page, count) = match args.first_page_size()? {
            // The first page: batched with the other members of the list, one query in all.
            Some(limit) => {
                let scope = policy::read_proposals(ctx.actor()?)?;
                let key = (self.0.id, year, limit, scope);
                let (page, total) =
                    ctx.loaders()?.member_proposals.load_one(key).await.map_err(|e| (*e).clone())?.unwrap_or_default();
                (page, known_count(total))
            }
            None => {
                let filter =
                    crate::proposal::service::ProposalFilter { year, member_id: Some(self.0.id), ..Default::default() };
                crate::proposal::service::list(ctx.db()?, ctx.actor()?, filter, &args).await?
            }
        };
        Ok(crate::proposal::graphql::proposal_connection(ctx, page, count).await?)
    }
    /// The public-opinion reports the member wrote (first or co-author), newest first; `year`
    /// narrows them to one year. Visible as the `opinionReports` list is.
    #[graphql(complexity = "crate::relay::page_cost(first, None, child_complexity)")]
    async fn opinion_reports(
        &self,
        ctx: &Context<'_>,
        year: Option<i32>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<crate::relay::CountedConnection<crate::opinion::graphql::OpinionReport>> {
        let args = PageArgs { first, after, last: None, before: None };
        let (page, count) = match args.first_page_size()? {
            Some(limit) => {
                let scope = policy::read_opinion_reports(ctx.actor()?)?;
                let key = (self.0.id, year, limit, scope);
                let (page, total) = ctx
                    .loaders()?
                    .member_opinion_reports
                    .load_one(key)
                    .await
                    .map_err(|e| (*e).clone())?
                    .unwrap_or_default();
                (page, known_count(total))
            }
            None => {
                let filter =
                    crate::opinion::service::OpinionFilter { year, member_id: Some(self.0.id), ..Default::default() };
                crate::opinion::service::list(ctx.db()?, ctx.actor()?, filter, &args).await?
            }
        };
        Ok(crate::opinion::graphql::opinion_connection(ctx, page, count).await?)
    }
    // ----- duty records (activity, training, duty) -----
    /// The member's participations in activities, newest first; `year` narrows them to one
    /// year. Visible to office, committee and studio staff, and to the member themself.
    #[graphql(complexity = "crate::relay::page_cost(first, None, child_complexity)")]
    async fn participations(
        &self,
        ctx: &Context<'_>,
        year: Option<i32>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<crate::relay::CountedConnection<crate::activity::graphql::Participation>> {
        crate::activity::graphql::member_participations(ctx, self.0.id, year, first, after).await
    }
    /// The member's attendance in a year: counts per status, compulsory activities expected
    /// and attended, and the attendance rate. Visible as `participations`.
    async fn attendance(
        &self,
        ctx: &Context<'_>,
        year: i32,
    ) -> Result<crate::activity::graphql::AttendanceSummaryObject> {
        crate::activity::graphql::member_attendance(ctx, self.0.id, year).await
    }
    /// Training hours (学时) earned in sessions that began in `year`. Visible as `participations`.
    async fn training_hours(&self, ctx: &Context<'_>, year: i32) -> Result<rust_decimal::Decimal> {
        crate::training::graphql::member_training_hours(ctx, self.0.id, year).await
    }
    /// The member's other duty items (speeches, research reports, articles …), newest first,
    /// optionally of one year and state. Visible as `participations`.
    async fn duty_items(
        &self,
        ctx: &Context<'_>,
        year: Option<i32>,
        status: Option<entity::enums::DutyItemStatus>,
    ) -> Result<Vec<crate::duty::graphql::DutyItem>> {
        crate::duty::graphql::member_duty_items(ctx, self.0.id, year, status).await
    }
    /// The member's assessment (履职考核) of `year`: the published result, else (for office
    /// staff) the latest run's. Members see only their own published result; null otherwise.
    async fn assessment(
        &self,
        ctx: &Context<'_>,
        year: i32,
    ) -> Result<Option<crate::assessment::graphql::MemberAssessment>> {
        crate::assessment::graphql::member_assessment(ctx, self.0.id, year).await
    }
    /// The member's personal targets (个人履职目标) of `year`, each with the progress the
    /// records show and whether it is met. Office staff read anyone's; committee and studio
    /// staff as `participations`; a member their own.
    async fn targets(&self, ctx: &Context<'_>, year: i32) -> Result<Vec<crate::plan::graphql::MemberTarget>> {
        crate::plan::graphql::member_targets(ctx, self.0.id, year).await
    }
    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A seat (委员任职): a member in one term.
pub struct Seat(pub seat::Model);

#[Object]
impl Seat {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Seat, self.0.id)
    }
    /// The member.
    async fn member(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        Ok(loader::one(&ctx.loaders()?.member, self.0.member_id).await?.map(Member))
    }
    /// The term.
    async fn term(&self, ctx: &Context<'_>) -> Result<Option<Term>> {
        Ok(loader::one(&ctx.loaders()?.term, self.0.term_id).await?.map(Term))
    }
    /// Member number (委员证号), unique within the term.
    async fn member_number(&self) -> Option<&str> {
        self.0.member_number.as_deref()
    }
    /// The sector (界别) represented.
    async fn sector(&self, ctx: &Context<'_>) -> Result<Option<Sector>> {
        let Some(id) = self.0.sector_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.sector, id).await?.map(Sector))
    }
    /// Political affiliation (党派).
    async fn party(&self) -> Party {
        self.0.party
    }
    /// Chinese label of the party, e.g. "民盟".
    async fn party_label(&self) -> &'static str {
        self.0.party.label()
    }
    /// Member of the standing committee (常委).
    async fn standing_committee(&self) -> bool {
        self.0.standing_committee
    }
    /// Leadership post (主席 / 副主席 / 秘书长).
    async fn leadership_post(&self) -> Option<LeadershipPost> {
        self.0.leadership_post
    }
    /// Chinese label of the leadership post.
    async fn leadership_post_label(&self) -> Option<&'static str> {
        self.0.leadership_post.map(LeadershipPost::label)
    }
    /// Employer and position (工作单位及职务).
    async fn employer(&self) -> Option<&str> {
        self.0.employer.as_deref()
    }
    /// Status (在任 / 辞去 / 劝辞 / 撤销 / 去世 / 届满).
    async fn status(&self) -> SeatStatus {
        self.0.status
    }
    /// Chinese label of the status.
    async fn status_label(&self) -> &'static str {
        self.0.status.label()
    }
    /// First day of the seat.
    async fn start_date(&self) -> NaiveDate {
        self.0.start_date
    }
    /// Last day; null while serving.
    async fn end_date(&self) -> Option<NaiveDate> {
        self.0.end_date
    }
    /// Why the status changed.
    async fn status_reason(&self) -> Option<&str> {
        self.0.status_reason.as_deref()
    }
}

/// Which members to list. Seat conditions (sector, party, standing, status) apply to the
/// member's seat in `termId`, which defaults to the current term.
#[derive(InputObject, Default)]
pub struct MemberFilterInput {
    /// Name (汉字 substring), pinyin or pinyin initials prefix ("lxq" finds 李晓秋), member
    /// number, or employer.
    pub search: Option<String>,
    /// Members seated in this term (default: the current term).
    pub term_id: Option<ID>,
    /// List members of every term instead of one.
    #[graphql(default)]
    pub any_term: bool,
    /// Seat in this sector.
    pub sector_id: Option<ID>,
    /// Currently in this special committee.
    pub special_committee_id: Option<ID>,
    /// Currently assigned to this studio.
    pub studio_id: Option<ID>,
    /// Currently assigned to a studio in this town/street or its villages and communities.
    pub region_id: Option<ID>,
    /// Seat with this party.
    pub party: Option<Party>,
    /// Standing-committee members (true) or the others (false).
    pub standing_committee: Option<bool>,
    /// Seat with this status.
    pub status: Option<SeatStatus>,
}

/// What the member list can be sorted by.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum MemberOrderField {
    /// Name, in pinyin order.
    Name,
    /// Date of registration in the system.
    CreatedAt,
}

/// Sort direction.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderDirection {
    /// Ascending.
    #[default]
    Asc,
    /// Descending.
    Desc,
}

/// One sort key of the member list.
#[derive(InputObject)]
pub struct MemberOrder {
    /// The field.
    pub field: MemberOrderField,
    /// The direction.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// Queries of members.
#[derive(Default)]
pub struct MemberQuery;

#[Object]
impl MemberQuery {
    /// Members, filtered and sorted (by name in pinyin order unless `orderBy` says otherwise).
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        filter: Option<MemberFilterInput>,
        order_by: Option<Vec<MemberOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<Member>> {
        let f = filter.unwrap_or_default();
        let mut term_id = decode_opt(Kind::Term, f.term_id.as_ref(), "filter.termId")?;
        if term_id.is_none() && !f.any_term {
            // The current term through the request's loader: `currentSeat` asks for it again.
            term_id = current_term(ctx).await?.map(|t| t.id);
        }
        let filter = MemberFilter {
            search: f.search,
            term_id,
            any_term: f.any_term,
            sector_id: decode_opt(Kind::Sector, f.sector_id.as_ref(), "filter.sectorId")?,
            committee_id: decode_opt(
                Kind::SpecialCommittee,
                f.special_committee_id.as_ref(),
                "filter.specialCommitteeId",
            )?,
            studio_id: decode_opt(Kind::Studio, f.studio_id.as_ref(), "filter.studioId")?,
            region_id: decode_opt(Kind::Region, f.region_id.as_ref(), "filter.regionId")?,
            party: f.party,
            standing_committee: f.standing_committee,
            status: f.status,
        };
        let sorts: Vec<(MemberSort, bool)> = order_by
            .unwrap_or_default()
            .into_iter()
            .map(|o| {
                let sort = match o.field {
                    MemberOrderField::Name => MemberSort::Name,
                    MemberOrderField::CreatedAt => MemberSort::Registered,
                };
                (sort, o.direction == OrderDirection::Desc)
            })
            .collect();
        let args = PageArgs { first, after, last, before };
        let (page, count) = service::list(ctx.db()?, ctx.actor()?, filter, &sorts, &args).await?;
        let ids: Vec<i64> = page.rows.iter().map(|(_, m)| m.id).collect();
        prefetch(ctx, &ids).await?;
        Ok(connection(page, TotalCount::new(count), Member))
    }

    /// One member by ID.
    async fn member(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Member>> {
        let id = decode_id(Kind::Member, &id, "id")?;
        match service::find(ctx.db()?, ctx.actor()?, id).await {
            Ok(m) => Ok(Some(Member(m))),
            Err(AppError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// The seat created with a new member.
#[derive(InputObject)]
pub struct SeatInput {
    /// The term.
    pub term_id: ID,
    /// Member number (委员证号), unique within the term.
    pub member_number: Option<String>,
    /// The sector represented.
    pub sector_id: Option<ID>,
    /// Political affiliation.
    pub party: Party,
    /// Member of the standing committee.
    #[graphql(default)]
    pub standing_committee: bool,
    /// Leadership post.
    pub leadership_post: Option<LeadershipPost>,
    /// Employer and position.
    pub employer: Option<String>,
    /// First day; defaults to the term's first day.
    pub start_date: Option<NaiveDate>,
}

/// A member to create, with their seat.
#[derive(InputObject)]
pub struct CreateMemberInput {
    /// Full name.
    pub name: String,
    /// Gender.
    pub gender: Option<Gender>,
    /// Ethnicity, e.g. "汉族".
    pub ethnicity: Option<String>,
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// Mobile phone.
    pub phone: Option<String>,
    /// Office notes.
    pub notes: Option<String>,
    /// The seat in a term.
    pub seat: SeatInput,
}

/// Changes to the seat in one term; creates it when the member has none there (a returning
/// member), which needs `party`. Absent fields stay as they are; null clears.
#[derive(InputObject)]
pub struct UpdateSeatInput {
    /// The term of the seat.
    pub term_id: ID,
    /// Member number.
    #[graphql(default)]
    pub member_number: MaybeUndefined<String>,
    /// Sector.
    #[graphql(default)]
    pub sector_id: MaybeUndefined<ID>,
    /// Party.
    pub party: Option<Party>,
    /// Standing-committee flag.
    pub standing_committee: Option<bool>,
    /// Leadership post.
    #[graphql(default)]
    pub leadership_post: MaybeUndefined<LeadershipPost>,
    /// Employer and position.
    #[graphql(default)]
    pub employer: MaybeUndefined<String>,
    /// Status, e.g. RESIGNED.
    pub status: Option<SeatStatus>,
    /// Why the status changed.
    #[graphql(default)]
    pub status_reason: MaybeUndefined<String>,
    /// First day.
    pub start_date: Option<NaiveDate>,
    /// Last day.
    #[graphql(default)]
    pub end_date: MaybeUndefined<NaiveDate>,
}

/// Changes to a member. Absent fields stay as they are; null clears a field.
#[derive(InputObject)]
pub struct UpdateMemberInput {
    /// The member.
    pub id: ID,
    /// Full name.
    pub name: Option<String>,
    /// Gender.
    #[graphql(default)]
    pub gender: MaybeUndefined<Gender>,
    /// Ethnicity.
    #[graphql(default)]
    pub ethnicity: MaybeUndefined<String>,
    /// Date of birth.
    #[graphql(default)]
    pub birth_date: MaybeUndefined<NaiveDate>,
    /// Mobile phone.
    #[graphql(default)]
    pub phone: MaybeUndefined<String>,
    /// Office notes.
    #[graphql(default)]
    pub notes: MaybeUndefined<String>,
    /// Changes to the seat in one term.
    pub seat: Option<UpdateSeatInput>,
}

/// The result of `createMember` and `updateMember`.
#[derive(SimpleObject)]
pub struct MemberPayload {
    /// The member as stored.
    pub member: Member,
}

fn change<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

impl UpdateSeatInput {
    fn into_changes(self) -> Result<SeatChanges, AppError> {
        let sector_id = match change(self.sector_id) {
            Some(Some(id)) => Some(Some(decode_id(Kind::Sector, &id, "input.seat.sectorId")?)),
            Some(None) => Some(None),
            None => None,
        };
        Ok(SeatChanges {
            term_id: decode_id(Kind::Term, &self.term_id, "input.seat.termId")?,
            member_number: change(self.member_number),
            sector_id,
            party: self.party,
            standing_committee: self.standing_committee,
            leadership_post: change(self.leadership_post),
            employer: change(self.employer),
            status: self.status,
            status_reason: change(self.status_reason),
            start_date: self.start_date,
            end_date: change(self.end_date),
        })
    }
}

/// Mutations of members (ADMIN and OFFICE).
#[derive(Default)]
pub struct MemberMutation;

#[Object]
impl MemberMutation {
    /// Creates a member with their seat in a term, in one transaction.
    async fn create_member(&self, ctx: &Context<'_>, input: CreateMemberInput) -> Result<MemberPayload> {
        let seat = NewSeat {
            term_id: decode_id(Kind::Term, &input.seat.term_id, "input.seat.termId")?,
            member_number: input.seat.member_number,
            sector_id: decode_opt(Kind::Sector, input.seat.sector_id.as_ref(), "input.seat.sectorId")?,
            party: input.seat.party,
            standing_committee: input.seat.standing_committee,
            leadership_post: input.seat.leadership_post,
            employer: input.seat.employer,
            start_date: input.seat.start_date,
        };
        let new = NewMember {
            name: input.name,
            gender: input.gender,
            ethnicity: input.ethnicity,
            birth_date: input.birth_date,
            phone: input.phone,
            notes: input.notes,
            seat,
        };
        let member = service::create(ctx.db()?, ctx.actor()?, new).await?;
        Ok(MemberPayload { member: Member(member) })
    }

    /// Changes a member's profile and, optionally, their seat in one term (or gives a returning
    /// member a seat in a new term), in one transaction.
    async fn update_member(&self, ctx: &Context<'_>, input: UpdateMemberInput) -> Result<MemberPayload> {
        let id = decode_id(Kind::Member, &input.id, "input.id")?;
        let changes = MemberChanges {
            name: input.name,
            gender: change(input.gender),
            ethnicity: change(input.ethnicity),
            birth_date: change(input.birth_date),
            phone: change(input.phone),
            notes: change(input.notes),
            seat: input.seat.map(UpdateSeatInput::into_changes).transpose()?,
        };
        let member = service::update(ctx.db()?, ctx.actor()?, id, changes).await?;
        Ok(MemberPayload { member: Member(member) })
    }
}
