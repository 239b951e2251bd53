//! The public-opinion reports' request-scoped loaders.

use sea_orm::DatabaseConnection;

use super::service;
use crate::{
    loader::{ByColumn, Cached, LoaderSet, by_column, cached},
    signed::loader::{MemberRecords, ScopedRecords},
};
use entity::{opinion_adoption, opinion_author, opinion_report};

/// The report loaders of one request (`ctx.loaders()?.get::<OpinionLoaders>()`).
pub struct OpinionLoaders {
    /// The public-opinion report a proposal was converted to, within the reader's scope.
    pub opinion_report_by_proposal: Cached<ScopedRecords<opinion_report::Model>>,
    /// A report's authors.
    pub authors_by_opinion_report: Cached<ByColumn<opinion_author::Entity>>,
    /// A report's adoptions.
    pub adoptions_by_opinion_report: Cached<ByColumn<opinion_adoption::Entity>>,
    /// The first reports written by each member of a page.
    pub member_opinion_reports: Cached<MemberRecords<opinion_report::Model>>,
}

impl LoaderSet for OpinionLoaders {
    fn new(db: &DatabaseConnection) -> Self {
        Self {
            opinion_report_by_proposal: cached(ScopedRecords::new(db.clone(), |db, scope, proposals| {
                Box::pin(service::converted_from(db, scope, proposals))
            })),
            authors_by_opinion_report: by_column(db, opinion_author::Column::ReportId),
            adoptions_by_opinion_report: by_column(db, opinion_adoption::Column::ReportId),
            member_opinion_reports: cached(MemberRecords::new(db.clone(), |db, scope, members, year, limit| {
                Box::pin(service::written_first_pages(db, scope, members, year, limit))
            })),
        }
    }
}
