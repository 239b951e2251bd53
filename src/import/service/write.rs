//! Matching rows to the members already stored (by member number in the term, then by name and
//! birth date) and writing them: a new member and seat, a changed member or seat, and the
//! committee and studio they are placed in, each audited.

use std::collections::HashMap;

use chrono::{Days, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    QueryFilter, sea_query::Query,
};

use super::{
    OPERATION, RowError,
    rows::{Entry, Table},
};
use crate::{
    audit::service as audit,
    auth::Actor,
    error::{AppError, AppResult},
    import::fields::Column,
    member::names,
    organisation::service::{self as org, MembershipRef, Placement},
};
use entity::{
    committee_membership,
    enums::{CommitteeRole, Party, SeatStatus, StudioRole},
    member, seat, studio_assignment, term,
};

/// The stored records a row is compared with.
pub(super) struct Known {
    pub(super) members: HashMap<i64, member::Model>,
    pub(super) by_name: HashMap<String, Vec<i64>>,
    /// Seats in the term, by member.
    pub(super) seats: HashMap<i64, seat::Model>,
    /// Seats in the term, by member number.
    pub(super) numbers: HashMap<String, i64>,
    /// Open committee memberships and studio assignments, by member.
    pub(super) committees: HashMap<i64, Vec<committee_membership::Model>>,
    pub(super) studios: HashMap<i64, Vec<studio_assignment::Model>>,
}

impl Known {
    pub(super) async fn load(
        db: &impl ConnectionTrait,
        term_id: i64,
        names: Vec<String>,
        today: NaiveDate,
    ) -> AppResult<Self> {
        let seats: Vec<seat::Model> = seat::Entity::find().filter(seat::Column::TermId.eq(term_id)).all(db).await?;
        let in_term = Query::select()
            .column(seat::Column::MemberId)
            .from(seat::Entity)
            .and_where(seat::Column::TermId.eq(term_id))
            .to_owned();
        let mut members: HashMap<i64, member::Model> = member::Entity::find()
            .filter(member::Column::Id.in_subquery(in_term))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        for chunk in names.chunks(500) {
            let named =
                member::Entity::find().filter(member::Column::Name.is_in(chunk.iter().cloned())).all(db).await?;
            members.extend(named.into_iter().map(|m| (m.id, m)));
        }
        let mut by_name: HashMap<String, Vec<i64>> = HashMap::new();
        for m in members.values() {
            by_name.entry(m.name.clone()).or_default().push(m.id);
        }
        let ids: Vec<i64> = members.keys().copied().collect();
        let mut committees: HashMap<i64, Vec<committee_membership::Model>> = HashMap::new();
        let mut studios: HashMap<i64, Vec<studio_assignment::Model>> = HashMap::new();
        for chunk in ids.chunks(500) {
            let open = |end: committee_membership::Column| Condition::any().add(end.is_null()).add(end.gte(today));
            for row in committee_membership::Entity::find()
                .filter(committee_membership::Column::MemberId.is_in(chunk.iter().copied()))
                .filter(open(committee_membership::Column::EndDate))
                .filter(committee_membership::Column::VoidedAt.is_null())
                .all(db)
                .await?
            {
                committees.entry(row.member_id).or_default().push(row);
            }
            let open = Condition::any()
                .add(studio_assignment::Column::EndDate.is_null())
                .add(studio_assignment::Column::EndDate.gte(today));
            for row in studio_assignment::Entity::find()
                .filter(studio_assignment::Column::MemberId.is_in(chunk.iter().copied()))
                .filter(studio_assignment::Column::VoidedAt.is_null())
                .filter(open)
                .all(db)
                .await?
            {
                studios.entry(row.member_id).or_default().push(row);
            }
        }
        let numbers = seats.iter().filter_map(|s| s.member_number.clone().map(|n| (n, s.member_id))).collect();
        let seats = seats.into_iter().map(|s| (s.member_id, s)).collect();
        Ok(Self { members, by_name, seats, numbers, committees, studios })
    }

    /// The stored member a row means: by member number in the term, then by name and birth
    /// date (by name alone among the term's members when the row gives no birth date).
    pub(super) fn find(&self, entry: &Entry, table: &Table, term: &term::Model) -> Result<Option<i64>, RowError> {
        let error =
            |column: Column, message: String| RowError { line: entry.line, column: table.header(column), message };
        if let Some(number) = &entry.number
            && let Some(&id) = self.numbers.get(number)
        {
            let stored = self.members.get(&id).map(|m| m.name.as_str()).unwrap_or_default();
            if stored != entry.name {
                return Err(error(
                    Column::Number,
                    format!("委员证号 {number} belongs to {stored} in {}, not to {}", term.name, entry.name),
                ));
            }
            return Ok(Some(id));
        }
        let seated = |id: i64| self.seats.contains_key(&id);
        let candidates: Vec<i64> = self
            .by_name
            .get(&entry.name)
            .into_iter()
            .flatten()
            .copied()
            .filter(|id| {
                let birth = self.members.get(id).and_then(|m| m.birth_date);
                match (entry.birth, birth) {
                    (Some(given), Some(stored)) => given.agrees_with(stored),
                    _ => seated(*id),
                }
            })
            .collect();
        match candidates.as_slice() {
            [] => Ok(None),
            [id] => Ok(Some(*id)),
            _ => Err(error(
                Column::Name,
                format!("several members are called {}: give the 委员证号 or 出生年月 to tell which", entry.name),
            )),
        }
    }
}

pub(super) enum Outcome {
    SeatCreated,
    Changed,
    Unchanged,
}

pub(super) struct Writer<'a> {
    pub(super) txn: &'a DatabaseTransaction,
    pub(super) actor: &'a Actor,
    pub(super) term: &'a term::Model,
    pub(super) known: &'a Known,
    pub(super) today: NaiveDate,
}

impl Writer<'_> {
    pub(super) async fn create(&self, entry: &Entry) -> AppResult<()> {
        let now = Utc::now();
        let member = member::ActiveModel {
            name: Set(entry.name.clone()),
            name_pinyin: Set(names::pinyin_key(&entry.name)),
            name_initials: Set(names::initials_key(&entry.name)),
            name_folded: Set(Some(names::fold(&entry.name))),
            gender: Set(entry.gender),
            ethnicity: Set(entry.ethnicity.clone()),
            birth_date: Set(entry.birth.map(|b| b.date)),
            phone: Set(entry.phone.clone()),
            notes: Set(entry.notes.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(self.txn)
        .await?;
        audit::created(self.txn, self.actor, OPERATION, "member", member.id, &member).await?;
        self.new_seat(entry, member.id).await?;
        self.place(entry, member.id, self.term.start_date).await
    }

    pub(super) async fn new_seat(&self, entry: &Entry, member_id: i64) -> AppResult<()> {
        let seat = seat::ActiveModel {
            member_id: Set(member_id),
            term_id: Set(self.term.id),
            member_number: Set(entry.number.clone()),
            sector_id: Set(entry.sector),
            party: Set(entry.party.unwrap_or(Party::Masses)),
            standing_committee: Set(entry.standing.unwrap_or(false)),
            leadership_post: Set(None),
            employer: Set(entry.employer.clone()),
            status: Set(SeatStatus::Serving),
            start_date: Set(self.term.start_date),
            end_date: Set(None),
            status_reason: Set(None),
            ..Default::default()
        }
        .insert(self.txn)
        .await?;
        audit::created(self.txn, self.actor, OPERATION, "seat", seat.id, &seat).await
    }

    /// Puts a member in the row's committee and studio from `start`, closing the open ones
    /// elsewhere (history is kept: the old rows end the day before).
    pub(super) async fn place(&self, entry: &Entry, member_id: i64, start: NaiveDate) -> AppResult<()> {
        let end = |from: NaiveDate| start.checked_sub_days(Days::new(1)).unwrap_or(start).max(from);
        if let Some(committee) = entry.committee {
            for open in self.known.committees.get(&member_id).into_iter().flatten() {
                if open.committee_id != committee && open.end_date.is_none() {
                    let which = MembershipRef::Committee(open.id);
                    org::end_membership(self.txn, self.actor, which, end(open.start_date)).await?;
                }
            }
            let p = Placement { member_id, target_id: committee, role: CommitteeRole::Member, start_date: start };
            org::assign_committee(self.txn, self.actor, p).await?;
        }
        if let Some(studio) = entry.studio {
            for open in self.known.studios.get(&member_id).into_iter().flatten() {
                if open.studio_id != studio && open.end_date.is_none() {
                    let which = MembershipRef::Studio(open.id);
                    org::end_membership(self.txn, self.actor, which, end(open.start_date)).await?;
                }
            }
            let p = Placement { member_id, target_id: studio, role: StudioRole::Member, start_date: start };
            org::assign_studio(self.txn, self.actor, p).await?;
        }
        Ok(())
    }

    /// Brings a stored member in line with the row; writes only when `write`.
    pub(super) async fn update(&self, entry: &Entry, member_id: i64, write: bool) -> AppResult<Outcome> {
        let stored = self.known.members.get(&member_id).ok_or_else(|| AppError::not_found("member", member_id))?;
        let mut member: member::ActiveModel = stored.clone().into();
        let mut member_changed = false;
        macro_rules! differs {
            ($row:ident, $changed:ident, $field:ident, $new:expr, $old:expr) => {
                if let Some(new) = $new
                    && $old != Some(new)
                {
                    $row.$field = Set(Some(new.to_owned()));
                    $changed = true;
                }
            };
        }
        differs!(member, member_changed, gender, entry.gender, stored.gender);
        differs!(member, member_changed, ethnicity, entry.ethnicity.as_ref(), stored.ethnicity.as_ref());
        differs!(member, member_changed, phone, entry.phone.as_ref(), stored.phone.as_ref());
        differs!(member, member_changed, notes, entry.notes.as_ref(), stored.notes.as_ref());
        if let Some(birth) = entry.birth
            && !stored.birth_date.is_some_and(|d| birth.agrees_with(d))
        {
            member.birth_date = Set(Some(birth.date));
            member_changed = true;
        }

        let committee_moves = entry
            .committee
            .is_some_and(|c| !self.known.committees.get(&member_id).into_iter().flatten().any(|m| m.committee_id == c));
        let studio_moves = entry
            .studio
            .is_some_and(|s| !self.known.studios.get(&member_id).into_iter().flatten().any(|m| m.studio_id == s));

        let Some(seat) = self.known.seats.get(&member_id) else {
            if write {
                self.write_member(stored, member, member_changed).await?;
                self.new_seat(entry, member_id).await?;
                let placing = Entry {
                    committee: entry.committee.filter(|_| committee_moves),
                    studio: entry.studio.filter(|_| studio_moves),
                    ..entry.clone()
                };
                self.place(&placing, member_id, self.today.max(self.term.start_date)).await?;
            }
            return Ok(Outcome::SeatCreated);
        };
        let mut row: seat::ActiveModel = seat.clone().into();
        let mut seat_changed = false;
        differs!(row, seat_changed, member_number, entry.number.as_ref(), seat.member_number.as_ref());
        differs!(row, seat_changed, sector_id, entry.sector, seat.sector_id);
        differs!(row, seat_changed, employer, entry.employer.as_ref(), seat.employer.as_ref());
        if let Some(party) = entry.party
            && party != seat.party
        {
            row.party = Set(party);
            seat_changed = true;
        }
        if let Some(standing) = entry.standing
            && standing != seat.standing_committee
        {
            row.standing_committee = Set(standing);
            seat_changed = true;
        }
        if !(member_changed || seat_changed || committee_moves || studio_moves) {
            return Ok(Outcome::Unchanged);
        }
        if write {
            self.write_member(stored, member, member_changed).await?;
            if seat_changed {
                let after = row.update(self.txn).await?;
                audit::changed(self.txn, self.actor, OPERATION, "seat", seat.id, seat, &after).await?;
            }
            let placing = Entry {
                committee: entry.committee.filter(|_| committee_moves),
                studio: entry.studio.filter(|_| studio_moves),
                ..entry.clone()
            };
            self.place(&placing, member_id, self.today.max(self.term.start_date)).await?;
        }
        Ok(Outcome::Changed)
    }

    pub(super) async fn write_member(
        &self,
        before: &member::Model,
        mut row: member::ActiveModel,
        changed: bool,
    ) -> AppResult<()> {
        if changed {
            row.updated_at = Set(Utc::now());
            let after = row.update(self.txn).await?;
            audit::changed(self.txn, self.actor, OPERATION, "member", before.id, before, &after).await?;
        }
        Ok(())
    }
}
