//! The organisation in the API: [`types`] (the units and membership rows), [`inputs`],
//! [`query`] and [`mutation`]. Resolvers read the context, call one service function and
//! convert.

pub mod inputs;
pub mod mutation;
pub mod next_term;
pub mod query;
pub mod types;

pub use inputs::*;
pub use mutation::*;
pub use next_term::*;
pub use query::*;
pub use types::*;
