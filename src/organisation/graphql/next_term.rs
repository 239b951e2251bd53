//! `openNextTerm` (换届) and its payload: the new term, the counts of every kind of change, and
//! on a dry run every change.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::NaiveDate;

use super::types::Term;
use crate::{
    context::ContextExt,
    error::{AppError, AppResult, Under},
    organisation::service::{self, Carry, Change, ChangeKind, NextTerm, Opened, Place},
    relay::{Kind, decode_id, decode_opt, encode_id},
};

/// What a change of `openNextTerm` does.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermChangeKind {
    /// A seat of the old term ends (届满).
    SeatEnded,
    /// A returning member's seat in the new term opens.
    SeatOpened,
    /// A special-committee membership ends with the old term.
    CommitteeMembershipEnded,
    /// A special-committee membership opens in the new term.
    CommitteeMembershipOpened,
    /// A studio assignment ends with the old term.
    StudioAssignmentEnded,
    /// A studio assignment opens in the new term.
    StudioAssignmentOpened,
    /// A group membership ends with the old term.
    GroupMembershipEnded,
    /// A group membership opens in the new term.
    GroupMembershipOpened,
    /// A sector convenership ends with the old term.
    ConvenershipEnded,
    /// A sector convenership opens in the new term.
    ConvenershipOpened,
}

impl From<ChangeKind> for TermChangeKind {
    fn from(kind: ChangeKind) -> Self {
        match kind {
            ChangeKind::SeatEnded => Self::SeatEnded,
            ChangeKind::SeatOpened => Self::SeatOpened,
            ChangeKind::CommitteeMembershipEnded => Self::CommitteeMembershipEnded,
            ChangeKind::CommitteeMembershipOpened => Self::CommitteeMembershipOpened,
            ChangeKind::StudioAssignmentEnded => Self::StudioAssignmentEnded,
            ChangeKind::StudioAssignmentOpened => Self::StudioAssignmentOpened,
            ChangeKind::GroupMembershipEnded => Self::GroupMembershipEnded,
            ChangeKind::GroupMembershipOpened => Self::GroupMembershipOpened,
            ChangeKind::ConvenershipEnded => Self::ConvenershipEnded,
            ChangeKind::ConvenershipOpened => Self::ConvenershipOpened,
        }
    }
}

/// One change `openNextTerm` makes (listed by a dry run).
pub struct TermChange(Change);

#[Object]
impl TermChange {
    /// What it does.
    async fn kind(&self) -> TermChangeKind {
        self.0.kind.into()
    }
    /// The member's global ID.
    async fn member_id(&self) -> ID {
        encode_id(Kind::Member, self.0.member_id)
    }
    /// The member's name.
    async fn member_name(&self) -> &str {
        &self.0.member_name
    }
    /// For a membership: the global ID of the special committee, studio, group or sector.
    async fn place_id(&self) -> Option<ID> {
        self.0.place.as_ref().map(|(place, id, _)| {
            let kind = match place {
                Place::Committee => Kind::SpecialCommittee,
                Place::Studio => Kind::Studio,
                Place::Group => Kind::Group,
                Place::Sector => Kind::Sector,
            };
            encode_id(kind, *id)
        })
    }
    /// For a membership: the name of where it places the member.
    async fn place_name(&self) -> Option<&str> {
        self.0.place.as_ref().map(|(_, _, name)| name.as_str())
    }
    /// For a membership with a role: the role's Chinese label.
    async fn role_label(&self) -> Option<&'static str> {
        self.0.role
    }
}

/// How many rows a kind of change touches.
#[derive(SimpleObject)]
pub struct TermChangeCount {
    /// The kind.
    pub kind: TermChangeKind,
    /// How many (on a dry run: would).
    pub count: i64,
}

/// The result of `openNextTerm`.
pub struct OpenNextTermPayload(Opened);

#[Object]
impl OpenNextTermPayload {
    /// The new term; null on a dry run.
    async fn term(&self) -> Option<Term> {
        self.0.term.clone().map(Term)
    }
    /// Whether this was a dry run (nothing written).
    async fn dry_run(&self) -> bool {
        self.0.term.is_none()
    }
    /// How many rows each kind of change touched (or would), every kind listed.
    #[graphql(complexity = "crate::cost::list(crate::cost::TERM_CHANGE_KINDS, child_complexity)")]
    async fn counts(&self) -> Vec<TermChangeCount> {
        self.0
            .counts
            .iter()
            .map(|(kind, n)| TermChangeCount { kind: (*kind).into(), count: i64::try_from(*n).unwrap_or(i64::MAX) })
            .collect()
    }
    /// A dry run: every change, by kind and member (the first 10,000; `counts` counts them
    /// all); empty otherwise.
    #[graphql(complexity = "crate::cost::list(crate::cost::TERM_CHANGES, child_complexity)")]
    async fn changes(&self) -> Vec<TermChange> {
        self.0.changes.iter().take(crate::cost::TERM_CHANGES).cloned().map(TermChange).collect()
    }
}

/// Which memberships open again in the new term for the returning members (all of them end
/// with the old term).
#[derive(InputObject, Default)]
pub struct CarryMembershipsInput {
    /// Special-committee memberships.
    #[graphql(default)]
    pub committees: bool,
    /// Studio assignments.
    #[graphql(default)]
    pub studios: bool,
    /// Group memberships.
    #[graphql(default)]
    pub groups: bool,
    /// Sector conveners.
    #[graphql(default)]
    pub conveners: bool,
}

/// The next term to open.
#[derive(InputObject)]
pub struct OpenNextTermInput {
    /// The term to open it from (default: the latest); it must be the latest.
    pub from_term_id: Option<ID>,
    /// Display name, e.g. "第十一届"; its number follows the old term's.
    pub name: String,
    /// First day; after the old term's first day. The old term's seats and memberships end
    /// the day before (or on its last day, if sooner).
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
    /// The returning members (each serving in the old term); omitted: every serving member.
    pub returning_member_ids: Option<Vec<ID>>,
    /// Which memberships open again in the new term (default: none).
    pub carry: Option<CarryMembershipsInput>,
    /// Whether standing-committee flags and leadership posts carry over (default: no; they are
    /// elected anew and entered on the new seats with `updateMember`).
    #[graphql(default)]
    pub keep_posts: bool,
    /// List every change without writing anything.
    #[graphql(default)]
    pub dry_run: bool,
}

impl TryFrom<OpenNextTermInput> for NextTerm {
    type Error = AppError;

    fn try_from(input: OpenNextTermInput) -> AppResult<Self> {
        let returning = match input.returning_member_ids {
            None => None,
            Some(ids) => Some(
                ids.iter()
                    .enumerate()
                    .map(|(i, id)| decode_id(Kind::Member, id, &format!("returningMemberIds.{i}")))
                    .collect::<AppResult<Vec<_>>>()?,
            ),
        };
        let carry = input.carry.unwrap_or_default();
        Ok(Self {
            from_term_id: decode_opt(Kind::Term, input.from_term_id.as_ref(), "fromTermId")?,
            name: input.name,
            start_date: input.start_date,
            end_date: input.end_date,
            returning,
            carry: Carry {
                committees: carry.committees,
                studios: carry.studios,
                groups: carry.groups,
                conveners: carry.conveners,
            },
            keep_posts: input.keep_posts,
            dry_run: input.dry_run,
        })
    }
}

/// `openNextTerm` (ADMIN and OFFICE).
#[derive(Default)]
pub struct NextTermMutation;

#[Object]
impl NextTermMutation {
    /// Opens the next term (换届) from the latest one, in one transaction with one audit entry;
    /// with `dryRun` lists every change and writes nothing.
    async fn open_next_term(&self, ctx: &Context<'_>, input: OpenNextTermInput) -> Result<OpenNextTermPayload> {
        let next = NextTerm::try_from(input).under("input")?;
        let opened = service::open_next_term(ctx.db()?, ctx.actor()?, next).await.under("input")?;
        Ok(OpenNextTermPayload(opened))
    }
}
