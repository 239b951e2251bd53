//! SQL expressions the domains' aggregates share.

use sea_orm::sea_query::{CaseStatement, Expr, Func, IntoCondition, SimpleExpr};

/// `COALESCE(SUM(CASE WHEN cond THEN 1 ELSE 0 END), 0)`: how many rows meet `cond`.
pub fn count_if(cond: impl IntoCondition) -> SimpleExpr {
    let case: SimpleExpr = CaseStatement::new().case(cond, Expr::val(1)).finally(Expr::val(0)).into();
    Func::coalesce([SimpleExpr::from(Func::sum(case)), Expr::val(0)]).into()
}
