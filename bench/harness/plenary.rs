//! Recording and closing a plenary session of every member (issue 18's speed target): the
//! plenary's invitations (应出席) are derived from the seats on its date, one per member, and
//! closing it turns every invitee without a mark into `ABSENT`. Each is a single request, timed
//! one at a time (the office records a plenary once, nobody records ten at once).

use std::time::Instant;

use serde_json::{Value as Json, json};

use crate::{
    Row, Server,
    client::{Res, graphql, stats},
    reads::row_id,
};

/// Plenary sessions recorded and closed, one after the other.
const PLENARIES: usize = 5;

const RECORD: &str = "mutation Plenary($input: RecordActivityInput!) { recordActivity(input: $input) {
  activity { id } } }";

const CLOSE: &str = "mutation Close($id: ID!) { closeActivity(input: { id: $id }) { activity { id } } }";

const COUNTS: &str = "query Counts($id: ID!) { node(id: $id) { ... on Activity {
  invited: invitations(first: 1) { totalCount } marked: participants(first: 1) { totalCount }
  absent: participants(attendance: ABSENT, first: 1) { totalCount } } } }";

fn record_input(k: usize) -> Json {
    // Two members listed (present, late); everyone else is invited by the seats and pending.
    json!({ "input": {
        "title": format!("基准测试全体会议{}", k + 1), "kind": "PLENARY_SESSION", "compulsory": true,
        "startDate": format!("2024-12-{:02}", 20 + k), "participants": [
            { "memberId": crate::reads::gid("Member", 1), "attendance": "PRESENT" },
            { "memberId": crate::reads::gid("Member", 2), "attendance": "LATE" }
        ] } })
}

fn count(counts: &Json, key: &str) -> Res<u64> {
    counts["node"][key]["totalCount"].as_u64().ok_or_else(|| format!("no `{key}` in {counts}"))
}

/// Invitees without a mark.
fn pending(counts: &Json) -> Res<u64> {
    Ok(count(counts, "invited")?.saturating_sub(count(counts, "marked")?))
}

/// The two rows: recording (with its invitations) and closing.
pub fn measure(server: &Server, agent: &ureq::Agent, token: &str, members: u64) -> Res<Vec<Row>> {
    let (mut record, mut close) = (Vec::new(), Vec::new());
    let (mut record_statements, mut close_statements) = (0, 0);
    for k in 0..PLENARIES {
        let before = server.statements()?;
        let t = Instant::now();
        let done = graphql(agent, &server.base, token, RECORD, &record_input(k))?;
        record.push(t.elapsed());
        record_statements = server.statements()? - before;
        let id = done["recordActivity"]["activity"]["id"].clone();
        let counts = graphql(agent, &server.base, token, COUNTS, &json!({ "id": id }))?;
        if count(&counts, "invited")? != members || pending(&counts)? != members - 2 {
            return Err(format!("plenary {}: not every member was invited: {counts}", row_id(&id)?));
        }

        let before = server.statements()?;
        let t = Instant::now();
        graphql(agent, &server.base, token, CLOSE, &json!({ "id": id }))?;
        close.push(t.elapsed());
        close_statements = server.statements()? - before;
        let counts = graphql(agent, &server.base, token, COUNTS, &json!({ "id": id }))?;
        if count(&counts, "absent")? != members - 2 || pending(&counts)? != 0 {
            return Err(format!("plenary {}: closing left invitees unmarked: {counts}", row_id(&id)?));
        }
    }
    let wall = |d: &[std::time::Duration]| d.iter().sum();
    Ok(vec![
        Row {
            name: format!("recordActivity (plenary, {members} invitees)"),
            ours: stats(record.clone(), wall(&record)),
            statements: record_statements,
            ..Row::default()
        },
        Row {
            name: format!("closeActivity ({} marked absent)", members - 2),
            ours: stats(close.clone(), wall(&close)),
            statements: close_statements,
            ..Row::default()
        },
    ])
}
