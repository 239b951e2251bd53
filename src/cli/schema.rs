//! `lvzhi schema`: prints the GraphQL schema (SDL); it needs no database.

/// Prints the SDL to standard output.
pub fn run() -> Result<(), String> {
    super::print(&lvzhi::schema::sdl())
}
