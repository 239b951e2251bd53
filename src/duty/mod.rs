//! Other duty items (其他履职事项): speeches, research reports, articles, historical materials,
//! awards and public-welfare work, submitted by a member and confirmed or rejected by the office.

pub mod graphql;
pub mod loader;
pub mod service;
