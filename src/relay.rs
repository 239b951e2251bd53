//! The Relay conventions of the API: global object IDs and connections.

use std::sync::Arc;

use async_graphql::{
    Context, ID, Object, OutputType,
    connection::{Connection, Edge},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use futures_util::future::BoxFuture;

use crate::{
    error::{AppError, AppResult},
    pagination::Page,
};

/// The kinds of object that have a global ID. The name is the GraphQL type name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `Term`
    Term,
    /// `Member`
    Member,
    /// `Seat`
    Seat,
    /// `Sector`
    Sector,
    /// `SpecialCommittee`
    SpecialCommittee,
    /// `Region`
    Region,
    /// `Studio`
    Studio,
    /// `Group`
    Group,
    /// `HandlingUnit`
    HandlingUnit,
    /// `CommitteeMembership`
    CommitteeMembership,
    /// `StudioAssignment`
    StudioAssignment,
    /// `GroupMembership`
    GroupMembership,
    /// `SectorConvenership`
    SectorConvenership,
    /// `Account`
    Account,
    /// `Activity`
    Activity,
    /// `Participation`
    Participation,
    /// `LeaveRequest`
    LeaveRequest,
    /// `TrainingSession`
    TrainingSession,
    /// `DutyItem`
    DutyItem,
    /// `Proposal`
    Proposal,
    /// `OpinionReport`
    OpinionReport,
    /// `RuleSet`
    RuleSet,
    /// `AssessmentRun`
    AssessmentRun,
    /// `MemberAssessment`
    MemberAssessment,
    /// `Plan`
    Plan,
    /// `PlanItem`
    PlanItem,
    /// `ExitCase`
    ExitCase,
}

impl Kind {
    const ALL: [Self; 27] = [
        Self::Term,
        Self::Member,
        Self::Seat,
        Self::Sector,
        Self::SpecialCommittee,
        Self::Region,
        Self::Studio,
        Self::Group,
        Self::HandlingUnit,
        Self::CommitteeMembership,
        Self::StudioAssignment,
        Self::GroupMembership,
        Self::SectorConvenership,
        Self::Account,
        Self::Activity,
        Self::Participation,
        Self::TrainingSession,
        Self::DutyItem,
        Self::Proposal,
        Self::OpinionReport,
        Self::RuleSet,
        Self::AssessmentRun,
        Self::MemberAssessment,
        Self::Plan,
        Self::PlanItem,
        Self::ExitCase,
        Self::LeaveRequest,
    ];

    /// The GraphQL type name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Term => "Term",
            Self::Member => "Member",
            Self::Seat => "Seat",
            Self::Sector => "Sector",
            Self::SpecialCommittee => "SpecialCommittee",
            Self::Region => "Region",
            Self::Studio => "Studio",
            Self::Group => "Group",
            Self::HandlingUnit => "HandlingUnit",
            Self::CommitteeMembership => "CommitteeMembership",
            Self::StudioAssignment => "StudioAssignment",
            Self::GroupMembership => "GroupMembership",
            Self::SectorConvenership => "SectorConvenership",
            Self::Account => "Account",
            Self::Activity => "Activity",
            Self::Participation => "Participation",
            Self::LeaveRequest => "LeaveRequest",
            Self::TrainingSession => "TrainingSession",
            Self::DutyItem => "DutyItem",
            Self::Proposal => "Proposal",
            Self::OpinionReport => "OpinionReport",
            Self::RuleSet => "RuleSet",
            Self::AssessmentRun => "AssessmentRun",
            Self::MemberAssessment => "MemberAssessment",
            Self::Plan => "Plan",
            Self::PlanItem => "PlanItem",
            Self::ExitCase => "ExitCase",
        }
    }

    /// The entity name used in error messages ("member 42 does not exist").
    pub fn noun(self) -> &'static str {
        match self {
            Self::Term => "term",
            Self::Member => "member",
            Self::Seat => "seat",
            Self::Sector => "sector",
            Self::SpecialCommittee => "special committee",
            Self::Region => "region",
            Self::Studio => "studio",
            Self::Group => "group",
            Self::HandlingUnit => "handling unit",
            Self::CommitteeMembership => "committee membership",
            Self::StudioAssignment => "studio assignment",
            Self::GroupMembership => "group membership",
            Self::SectorConvenership => "sector convenership",
            Self::Account => "account",
            Self::Activity => "activity",
            Self::Participation => "participation",
            Self::LeaveRequest => "leave request",
            Self::TrainingSession => "training session",
            Self::DutyItem => "duty item",
            Self::Proposal => "proposal",
            Self::OpinionReport => "public-opinion report",
            Self::RuleSet => "rule set",
            Self::AssessmentRun => "assessment run",
            Self::MemberAssessment => "member assessment",
            Self::Plan => "plan",
            Self::PlanItem => "plan item",
            Self::ExitCase => "exit case",
        }
    }
}

/// The global ID of row `id` of `kind`: opaque to clients, stable across releases.
pub fn encode_id(kind: Kind, id: i64) -> ID {
    ID(STANDARD.encode(format!("{}:{id}", kind.name())))
}

/// Splits any global ID into its kind and row id.
pub fn decode_any(id: &ID) -> Option<(Kind, i64)> {
    let raw = String::from_utf8(STANDARD.decode(id.as_str()).ok()?).ok()?;
    let (name, row) = raw.split_once(':')?;
    let kind = Kind::ALL.into_iter().find(|k| k.name() == name)?;
    Some((kind, row.parse().ok()?))
}

/// The row id in a global ID that must be of `kind`; `field` names the input at fault.
pub fn decode_id(kind: Kind, id: &ID, field: &str) -> AppResult<i64> {
    match decode_any(id) {
        Some((k, row)) if k == kind => Ok(row),
        Some((k, _)) => {
            Err(AppError::bad_field(field, format!("{field} is the id of a {}, not of a {}", k.noun(), kind.noun())))
        }
        None => Err(AppError::bad_field(field, format!("{field} is not a valid id"))),
    }
}

/// Decodes an optional global ID.
pub fn decode_opt(kind: Kind, id: Option<&ID>, field: &str) -> AppResult<Option<i64>> {
    id.map(|id| decode_id(kind, id, field)).transpose()
}

type CountFn = Arc<dyn Fn() -> BoxFuture<'static, AppResult<u64>> + Send + Sync>;

/// The fields every connection adds to Relay's: the size of the whole list, counted by the
/// database only when asked for.
pub struct TotalCount(CountFn);

impl TotalCount {
    /// A count computed by `count` when the client selects `totalCount`.
    pub fn new<F>(count: F) -> Self
    where
        F: Fn() -> BoxFuture<'static, AppResult<u64>> + Send + Sync + 'static,
    {
        Self(Arc::new(count))
    }
}

#[Object]
impl TotalCount {
    /// How many items the whole list has, across all pages. Counting scans the list's rows:
    /// it waits for the request's turn.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let _turn = crate::share::turn(ctx).await;
        let n = (self.0)().await?;
        Ok(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// A Relay connection whose list size is counted on demand.
pub type CountedConnection<N> = Connection<String, N, TotalCount>;

/// Builds a connection from a page of storage rows, converting each row to its API type.
pub fn connection<M, N, F>(page: Page<M>, total: TotalCount, convert: F) -> CountedConnection<N>
where
    N: OutputType,
    F: Fn(M) -> N,
{
    let mut conn = Connection::with_additional_fields(page.has_previous_page, page.has_next_page, total);
    conn.edges.extend(page.rows.into_iter().map(|(cursor, row)| Edge::new(cursor, convert(row))));
    conn
}

/// Whether the nodes of the connection being resolved select the field at `path`, through
/// `nodes { … }` or `edges { node { … } }`. List resolvers use it to load each level of a page
/// in one query before the nodes ask for it one by one.
pub fn nodes_select(ctx: &Context<'_>, path: &[&str]) -> bool {
    selects(&ctx.look_ahead(), path)
}

/// Whether the connection selected by `look` has nodes selecting the field at `path` (see
/// [`nodes_select`]); for priming a nested connection from its parent list.
pub fn selects(look: &async_graphql::Lookahead<'_>, path: &[&str]) -> bool {
    let (mut nodes, mut edges) = (look.field("nodes"), look.field("edges").field("node"));
    for name in path {
        nodes = nodes.field(name);
        edges = edges.field(name);
    }
    nodes.exists() || edges.exists()
}

/// The complexity of a connection field: its page size (as the client asked, or the default)
/// times the complexity of what each node selects. A page larger than the largest allowed
/// costs as much as the largest: the resolver refuses it, naming `first` or `last`.
pub fn page_cost(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let size = first
        .or(last)
        .map_or(crate::pagination::DEFAULT_PAGE_SIZE, |n| u64::try_from(n).unwrap_or(0))
        .min(crate::pagination::MAX_PAGE_SIZE);
    usize::try_from(size).unwrap_or(usize::MAX).saturating_mul(child_complexity).max(1)
}
