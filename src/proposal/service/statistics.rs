//! The figures of a year's proposals (提案统计), computed by the database: two GROUP BY
//! queries, whatever the number of proposals.

use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use super::query::{assigned_to, overdue_condition};
use crate::{
    auth::{Actor, policy},
    dates::today,
    error::{AppError, AppResult},
    sql::count_if,
};
use entity::{
    enums::{FeedbackRating, ProposalStatus, ResultClass},
    proposal,
};

/// `part / whole` in 0..1 with four decimals; none when `whole` is zero.
pub fn rate(part: u64, whole: u64) -> Option<Decimal> {
    if whole == 0 {
        return None;
    }
    Some((Decimal::from(part) / Decimal::from(whole)).round_dp(4).normalize())
}

#[derive(Debug, FromQueryResult)]
struct Totals {
    submitted: i64,
    accepted: i64,
    not_accepted: i64,
    merged: i64,
    awaiting_review: i64,
    assigned: i64,
    answered: i64,
    answered_on_time: i64,
    overdue: i64,
    met: i64,
    feedback: i64,
    satisfied: i64,
    basically_satisfied: i64,
    dissatisfied: i64,
    key_proposals: i64,
    excellent: i64,
    closed: i64,
}

/// How many answered proposals got one result class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassCount {
    /// The class.
    pub result_class: ResultClass,
    /// How many.
    pub count: u64,
    /// Share of the answered proposals, 0..1.
    pub share: Option<Decimal>,
}

/// The figures of one year's proposals. Converted proposals are left out: they count as
/// public-opinion reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposalStatistics {
    /// The year.
    pub year: i32,
    /// Submitted (every state but CONVERTED).
    pub submitted: u64,
    /// Accepted (立案): given a serial number.
    pub accepted: u64,
    /// Not accepted (不予立案).
    pub not_accepted: u64,
    /// Merged into another (并案).
    pub merged: u64,
    /// Awaiting review: submitted or returned for changes.
    pub awaiting_review: u64,
    /// Assigned to handling units (accepted ones that reached a unit).
    pub assigned: u64,
    /// Answered (every unit answered).
    pub answered: u64,
    /// Answered by the due date.
    pub answered_on_time: u64,
    /// Overdue: answered after the due date, or unanswered past it today.
    pub overdue: u64,
    /// Answered with the proposer met (见面).
    pub met: u64,
    /// Feedback received.
    pub feedback: u64,
    /// 满意.
    pub satisfied: u64,
    /// 基本满意.
    pub basically_satisfied: u64,
    /// 不满意.
    pub dissatisfied: u64,
    /// Key proposals.
    pub key_proposals: u64,
    /// Excellent proposals.
    pub excellent: u64,
    /// Closed (办结).
    pub closed: u64,
    /// 立案率: accepted / submitted.
    pub acceptance_rate: Option<Decimal>,
    /// 办复率: answered / accepted.
    pub answer_rate: Option<Decimal>,
    /// 按期办复率: answered on time / answered.
    pub on_time_rate: Option<Decimal>,
    /// 见面率: met / answered.
    pub met_rate: Option<Decimal>,
    /// 满意率: (satisfied + basically satisfied) / feedback received.
    pub satisfied_rate: Option<Decimal>,
    /// Answered proposals by result class (every class, in order).
    pub result_classes: Vec<ClassCount>,
}

fn n(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// The figures of `year`'s proposals (optionally of those assigned to one handling unit), for
/// anyone signed in: two GROUP BY queries.
pub async fn statistics(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
    handling_unit_id: Option<i64>,
) -> AppResult<ProposalStatistics> {
    policy::read_statistics(actor)?;
    compute(db, year, handling_unit_id).await
}

async fn compute(db: &impl ConnectionTrait, year: i32, unit: Option<i64>) -> AppResult<ProposalStatistics> {
    use proposal::Column as C;
    let mut base = proposal::Entity::find()
        .filter(C::Year.eq(year))
        .filter(C::Status.ne(ProposalStatus::Converted))
        .filter(C::VoidedAt.is_null());
    if let Some(unit) = unit {
        base = base.filter(assigned_to(unit));
    }
    let today = today();
    let answered = || C::AnsweredOn.is_not_null();
    let totals = base
        .clone()
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "submitted")
        .column_as(count_if(C::AcceptedOn.is_not_null()), "accepted")
        .column_as(count_if(C::Status.eq(ProposalStatus::NotAccepted)), "not_accepted")
        .column_as(count_if(C::Status.eq(ProposalStatus::Merged)), "merged")
        .column_as(count_if(C::Status.is_in([ProposalStatus::Submitted, ProposalStatus::Returned])), "awaiting_review")
        .column_as(count_if(C::DueDate.is_not_null()), "assigned")
        .column_as(count_if(answered()), "answered")
        .column_as(
            count_if(Condition::all().add(answered()).add(Expr::col(C::AnsweredOn).lte(Expr::col(C::DueDate)))),
            "answered_on_time",
        )
        .column_as(count_if(overdue_condition(today)), "overdue")
        .column_as(count_if(Condition::all().add(answered()).add(C::MetProposer.eq(true))), "met")
        .column_as(count_if(C::Feedback.is_not_null()), "feedback")
        .column_as(count_if(C::Feedback.eq(FeedbackRating::Satisfied)), "satisfied")
        .column_as(count_if(C::Feedback.eq(FeedbackRating::BasicallySatisfied)), "basically_satisfied")
        .column_as(count_if(C::Feedback.eq(FeedbackRating::Dissatisfied)), "dissatisfied")
        .column_as(count_if(C::KeyProposal.eq(true)), "key_proposals")
        .column_as(count_if(C::Excellent.eq(true)), "excellent")
        .column_as(count_if(C::Status.eq(ProposalStatus::Closed)), "closed")
        .into_model::<Totals>()
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal("an aggregate query returned no row".to_owned()))?;
    let classes: Vec<(Option<ResultClass>, i64)> = base
        .select_only()
        .column(C::ResultClass)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(answered())
        .group_by(C::ResultClass)
        .into_tuple()
        .all(db)
        .await?;
    let t = totals;
    let answered = n(t.answered);
    let result_classes = ResultClass::ALL
        .iter()
        .map(|&class| {
            let count = classes.iter().find(|(c, _)| *c == Some(class)).map_or(0, |(_, k)| n(*k));
            ClassCount { result_class: class, count, share: rate(count, answered) }
        })
        .collect();
    let (submitted, accepted) = (n(t.submitted), n(t.accepted));
    let (satisfied, basically) = (n(t.satisfied), n(t.basically_satisfied));
    Ok(ProposalStatistics {
        year,
        submitted,
        accepted,
        not_accepted: n(t.not_accepted),
        merged: n(t.merged),
        awaiting_review: n(t.awaiting_review),
        assigned: n(t.assigned),
        answered,
        answered_on_time: n(t.answered_on_time),
        overdue: n(t.overdue),
        met: n(t.met),
        feedback: n(t.feedback),
        satisfied,
        basically_satisfied: basically,
        dissatisfied: n(t.dissatisfied),
        key_proposals: n(t.key_proposals),
        excellent: n(t.excellent),
        closed: n(t.closed),
        acceptance_rate: rate(accepted, submitted),
        answer_rate: rate(answered, accepted),
        on_time_rate: rate(n(t.answered_on_time), answered),
        met_rate: rate(n(t.met), answered),
        satisfied_rate: rate(satisfied + basically, n(t.feedback)),
        result_classes,
    })
}

/// The proposal figures the year in review quotes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearFigures {
    /// Submitted (converted proposals left out: they count as opinion reports).
    pub submitted: u64,
    /// Accepted (立案).
    pub accepted: u64,
    /// Answered.
    pub answered: u64,
    /// 见面率, 0..1; 0 when nothing was answered.
    pub met_rate: Decimal,
    /// 满意率, 0..1; 0 when no feedback was received.
    pub satisfied_rate: Decimal,
}

/// The year-in-review figures of `year`'s proposals. No access check: the caller (the year in
/// review) checks its own.
pub async fn year_figures(db: &impl ConnectionTrait, year: i32) -> AppResult<YearFigures> {
    let s = compute(db, year, None).await?;
    Ok(YearFigures {
        submitted: s.submitted,
        accepted: s.accepted,
        answered: s.answered,
        met_rate: s.met_rate.unwrap_or_default(),
        satisfied_rate: s.satisfied_rate.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_has_four_decimals_and_is_none_of_nothing() {
        assert_eq!(rate(1, 3), Some(Decimal::new(3333, 4)));
        assert_eq!(rate(2, 2), Some(Decimal::ONE));
        assert_eq!(rate(0, 0), None);
    }
}
