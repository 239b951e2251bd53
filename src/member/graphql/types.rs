//! The output types of members: `Member` (with the fields other domains answer for it) and
//! `Seat`.

use crate::member::loader::MemberLoaders;
use crate::opinion::loader::OpinionLoaders;
use crate::organisation::loader::OrganisationLoaders;
use crate::proposal::loader::ProposalLoaders;
use async_graphql::{Context, ID, Object, Result, Value, parser::types::Field};
use chrono::{DateTime, NaiveDate, Utc};

use super::known_count;
use crate::{
    context::ContextExt,
    cost,
    error::AppError,
    loader,
    member::service,
    organisation::graphql::{CommitteeMembership, GroupMembership, Sector, StudioAssignment, Term, kept},
    pagination::PageArgs,
    plain::{self, Plain},
    relay::{Kind, encode_id},
};
use entity::{
    enums::{Gender, LeadershipPost, Party, SeatStatus},
    member, seat, term,
};

/// A member (委员): a person, who may sit in several terms.
pub struct Member(pub member::Model);

impl Member {
    fn personal<'a, T>(&self, ctx: &Context<'_>, value: &'a Option<T>) -> Result<Option<&'a T>> {
        Ok(if service::shows_personal_data(ctx.actor()?, self.0.id) { value.as_ref() } else { None })
    }

    /// The member `id` for `node(id:)`: NOT_FOUND when there is none, FORBIDDEN when the actor
    /// may not read members.
    pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
        service::find(ctx.db()?, ctx.actor()?, id).await.map(Self)
    }
}

/// The current term of this request, looked up once.
pub(super) async fn current_term(ctx: &Context<'_>) -> Result<Option<term::Model>, AppError> {
    crate::loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().current_term, ()).await
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
    /// The member's seats, one per term, oldest first (at most 20).
    #[graphql(complexity = "cost::list(cost::MEMBER_SEATS, child_complexity)")]
    async fn seats(&self, ctx: &Context<'_>) -> Result<Vec<Seat>> {
        let seats =
            loader::one(&ctx.loaders()?.get::<MemberLoaders>().seats_by_member, self.0.id).await?.unwrap_or_default();
        Ok(cost::capped(seats, cost::MEMBER_SEATS).into_iter().map(Seat).collect())
    }
    /// The seat in the current term, if the member sits in it.
    async fn current_seat(&self, ctx: &Context<'_>) -> Result<Option<plain::Fast<Seat>>> {
        let Some(term) = current_term(ctx).await? else { return Ok(None) };
        let seats =
            loader::one(&ctx.loaders()?.get::<MemberLoaders>().seats_by_member, self.0.id).await?.unwrap_or_default();
        Ok(seats.into_iter().find(|s| s.term_id == term.id).map(|s| plain::Fast(Seat(s))))
    }
    /// Special-committee memberships; `current: true` for those in force today, `false` for
    /// past ones, absent for all (at most 20).
    #[graphql(complexity = "cost::list(cost::MEMBER_PLACES, child_complexity)")]
    async fn committee_memberships(
        &self,
        ctx: &Context<'_>,
        current: Option<bool>,
    ) -> Result<Vec<plain::Fast<CommitteeMembership>>> {
        let rows = loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().committee_memberships_by_member, self.0.id)
            .await?
            .unwrap_or_default();
        let rows = kept(rows, current, |r| r.end_date, cost::MEMBER_PLACES);
        Ok(rows.into_iter().map(|r| plain::Fast(CommitteeMembership(r))).collect())
    }
    /// Studio assignments; `current` as for committee memberships (at most 20).
    #[graphql(complexity = "cost::list(cost::MEMBER_PLACES, child_complexity)")]
    async fn studio_assignments(
        &self,
        ctx: &Context<'_>,
        current: Option<bool>,
    ) -> Result<Vec<plain::Fast<StudioAssignment>>> {
        let rows = loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().studio_assignments_by_member, self.0.id)
            .await?
            .unwrap_or_default();
        let rows = kept(rows, current, |r| r.end_date, cost::MEMBER_PLACES);
        Ok(rows.into_iter().map(|r| plain::Fast(StudioAssignment(r))).collect())
    }
    /// Group memberships; `current` as for committee memberships (at most 20).
    #[graphql(complexity = "cost::list(cost::MEMBER_PLACES, child_complexity)")]
    async fn group_memberships(&self, ctx: &Context<'_>, current: Option<bool>) -> Result<Vec<GroupMembership>> {
        let rows = loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().group_memberships_by_member, self.0.id)
            .await?
            .unwrap_or_default();
        Ok(kept(rows, current, |r| r.end_date, cost::MEMBER_PLACES).into_iter().map(GroupMembership).collect())
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
                let scope = crate::proposal::service::readable(ctx.actor()?)?;
                let key = (self.0.id, year, limit, scope);
                let (page, total) = crate::loader::one(&ctx.loaders()?.get::<ProposalLoaders>().member_proposals, key)
                    .await?
                    .unwrap_or_default();
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
                let scope = crate::opinion::service::readable(ctx.actor()?)?;
                let key = (self.0.id, year, limit, scope);
                let (page, total) =
                    crate::loader::one(&ctx.loaders()?.get::<OpinionLoaders>().member_opinion_reports, key)
                        .await?
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
    ) -> Result<crate::relay::CountedConnection<plain::Fast<crate::activity::graphql::Participation>>> {
        crate::activity::graphql::member_participations(ctx, self.0.id, year, first, after).await
    }
    /// The member's invitations (应出席), newest first, marked or pending, each with its
    /// activity, date, mark and leave request; `year` narrows them to one year (列席 rows are
    /// not invitations: they are in `participations`). Visible as `participations`.
    #[graphql(complexity = "crate::relay::page_cost(first, None, child_complexity)")]
    async fn invitations(
        &self,
        ctx: &Context<'_>,
        year: Option<i32>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<crate::relay::CountedConnection<crate::activity::graphql::Invitation>> {
        crate::activity::graphql::member_invitations(ctx, self.0.id, year, first, after).await
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
    /// optionally of one year and state (at most 100). Visible as `participations`.
    #[graphql(complexity = "cost::list(cost::MEMBER_DUTY_ITEMS, child_complexity)")]
    async fn duty_items(
        &self,
        ctx: &Context<'_>,
        year: Option<i32>,
        status: Option<entity::enums::DutyItemStatus>,
    ) -> Result<Vec<crate::duty::graphql::DutyItem>> {
        crate::duty::graphql::member_duty_items(ctx, self.0.id, year, status).await
    }
    /// The member's participations per activity kind in `year` (kinds with any), with how many
    /// were attended and the rate. Visible as `participations`.
    #[graphql(complexity = "crate::cost::list(crate::cost::ACTIVITY_KINDS, child_complexity)")]
    async fn activity_counts(
        &self,
        ctx: &Context<'_>,
        year: i32,
    ) -> Result<Vec<crate::analytics::graphql::KindParticipation>> {
        crate::analytics::graphql::member_activity_counts(ctx, self.0.id, year).await
    }
    /// Every year's assessment result the reader may see, newest first: per year the published
    /// result, else (for office staff) the latest run's. A member sees their own published
    /// results; anyone else who may not read them gets an empty list (the newest 20 years).
    #[graphql(complexity = "crate::cost::list(crate::cost::MEMBER_YEARS, child_complexity)")]
    async fn assessments(&self, ctx: &Context<'_>) -> Result<Vec<crate::assessment::graphql::MemberAssessment>> {
        Ok(crate::cost::capped(
            crate::analytics::graphql::member_assessments(ctx, self.0.id).await?,
            crate::cost::MEMBER_YEARS,
        ))
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
    /// staff as `participations`; a member their own (at most 20).
    #[graphql(complexity = "cost::list(cost::MEMBER_TARGETS, child_complexity)")]
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

impl Seat {
    /// The seat `id` for `node(id:)`: NOT_FOUND when there is none, FORBIDDEN when the actor
    /// may not read members.
    pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
        service::find_seat(ctx.db()?, ctx.actor()?, id).await.map(Self)
    }
}

#[Object]
impl Seat {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Seat, self.0.id)
    }
    /// The member.
    async fn member(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        Ok(loader::one(&ctx.loaders()?.get::<MemberLoaders>().member, self.0.member_id).await?.map(Member))
    }
    /// The term.
    async fn term(&self, ctx: &Context<'_>) -> Result<Option<Term>> {
        Ok(loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().term, self.0.term_id).await?.map(Term))
    }
    /// Member number (委员证号), unique within the term.
    async fn member_number(&self) -> Option<&str> {
        self.0.member_number.as_deref()
    }
    /// The sector (界别) represented.
    async fn sector(&self, ctx: &Context<'_>) -> Result<Option<plain::Fast<Sector>>> {
        let Some(id) = self.0.sector_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().sector, id).await?.map(|r| plain::Fast(Sector(r))))
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

/// What a member answers in one pass (`crate::plain`): the name, which every role that reaches
/// a member may read — never contact details, seats or records, which have rules or loaders of
/// their own.
impl Plain for Member {
    fn plain(&self, field: &Field) -> Option<Value> {
        match field.name.node.as_str() {
            "id" => plain::scalar(&encode_id(Kind::Member, self.0.id)),
            "name" => plain::text(&self.0.name),
            "pinyin" => plain::text(&self.0.name_pinyin),
            _ => None,
        }
    }
}

/// What a seat answers in one pass (`crate::plain`): its own columns, never the member, term
/// or sector behind it.
impl Plain for Seat {
    fn plain(&self, field: &Field) -> Option<Value> {
        let s = &self.0;
        match field.name.node.as_str() {
            "id" => plain::scalar(&encode_id(Kind::Seat, s.id)),
            "memberNumber" => plain::optional_text(s.member_number.as_deref()),
            "party" => plain::enumerated(s.party),
            "partyLabel" => plain::text(s.party.label()),
            "standingCommittee" => plain::scalar(&s.standing_committee),
            "status" => plain::enumerated(s.status),
            _ => None,
        }
    }
}
