//! The committed schema is the generated one.

#[test]
fn committed_schema_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
        .expect("schema.graphql at the project root");
    let generated = lvzhi::schema::sdl();
    assert!(
        committed == generated,
        "schema.graphql is out of date: regenerate it with `cargo run -- schema > schema.graphql`"
    );
}
