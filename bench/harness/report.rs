//! The results as Markdown: the side-by-side table (lvzhi and PostGraphile on PostgreSQL,
//! lvzhi on SQLite), then each backend's table against the floor.

use std::fmt::Write as _;

use crate::{Args, Report, Row, YEAR};

fn mb(kb: u64) -> String {
    format!("{:.1} MB", kb as f64 / 1024.0)
}

fn find<'a>(report: Option<&'a Report>, name: &str) -> Option<&'a Row> {
    report.and_then(|r| r.rows.iter().find(|row| row.name == name))
}

fn side_by_side(args: &Args, reports: &[Report]) -> String {
    let postgres = reports.iter().find(|r| r.backend == "postgres");
    let sqlite = reports.iter().find(|r| r.backend == "sqlite");
    let names: Vec<&str> = reports
        .iter()
        .flat_map(|r| r.rows.iter().filter(|row| row.side_by_side).map(|row| row.name.as_str()))
        .fold(Vec::new(), |mut names, n| {
            if !names.contains(&n) {
                names.push(n);
            }
            names
        });
    let mut out = String::from("### Side by side\n\n");
    let rounds = args.rounds();
    let _ = writeln!(
        out,
        "Median of {rounds} round{} of {} requests at concurrency {}{}\n",
        if rounds == 1 { "" } else { "s" },
        args.requests,
        args.concurrency,
        if args.peer.is_some() {
            ", lvzhi and PostGraphile alternating, on the same PostgreSQL database; both answered the same data."
        } else {
            " (no peer: `--peer postgraphile` measures PostGraphile beside lvzhi)."
        },
    );
    if let Some(p) = postgres.and_then(|r| r.peer.as_ref()) {
        let _ = writeln!(
            out,
            "PostGraphile {} (amber preset, `GRAPHILE_ENV=production`), Node {}: memory idle {}, after the load {}, \
             peak {}.\n",
            p.postgraphile,
            p.node,
            mb(p.idle_kb),
            mb(p.after_kb),
            mb(p.peak_kb)
        );
    }
    out.push_str(
        "| read | lvzhi req/s | lvzhi p50 ms | PostGraphile req/s | PostGraphile p50 ms | lvzhi / PostGraphile \
         (req/s) | lvzhi on SQLite req/s | SQLite p50 ms |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let dash = || "–".to_owned();
    for name in names {
        let pg = find(postgres, name);
        let lite = find(sqlite, name);
        let peer = pg.and_then(|r| r.peer.as_ref());
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} | {} | {} | {} |",
            pg.map_or_else(dash, |r| format!("{:.0}", r.ours.per_second)),
            pg.map_or_else(dash, |r| format!("{:.2}", r.ours.p50_ms)),
            peer.map_or_else(dash, |s| format!("{:.0}", s.per_second)),
            peer.map_or_else(dash, |s| format!("{:.2}", s.p50_ms)),
            pg.zip(peer).map_or_else(dash, |(r, s)| format!("{:.2}", r.ours.per_second / s.per_second.max(1e-9))),
            lite.map_or_else(dash, |r| format!("{:.0}", r.ours.per_second)),
            lite.map_or_else(dash, |r| format!("{:.2}", r.ours.p50_ms)),
        );
    }
    out.push('\n');
    out
}

pub fn markdown(args: &Args, reports: &[Report]) -> String {
    let mut out = format!(
        "Scale: {} members; concurrency {}; {} requests per read and round, {} round{} ({} writes).\n\n",
        args.scale,
        args.concurrency,
        args.requests,
        args.rounds(),
        if args.rounds() == 1 { "" } else { "s" },
        (args.requests / 4).max(20)
    );
    out.push_str(&side_by_side(args, reports));
    for r in reports {
        let _ = writeln!(out, "### {}\n", r.backend);
        if let Some(s) = r.seed_seconds {
            let _ = writeln!(out, "- generating the committee (`lvzhi seed --scale {}`): {s:.1} s", args.scale);
        }
        let _ = writeln!(
            out,
            "- assessment run (桐城 rules, {YEAR}): first {:.2} s, recomputation {:.2} s, {} SQL statements",
            r.first_run_seconds, r.recompute_seconds, r.run_statements
        );
        let _ = writeln!(
            out,
            "- server memory: idle after start {}; after the load {}; peak {}\n",
            mb(r.idle_kb),
            mb(r.after_kb),
            mb(r.peak_kb)
        );
        out.push_str("| operation | p50 ms | p99 ms | req/s | statements (page 10 → 50) | floor p50 ms | floor p99 ms | ours / floor (p50) |\n");
        out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for row in &r.rows {
            let statements = match row.statements_small {
                Some(small) => format!("{small} → {}", row.statements),
                None => row.statements.to_string(),
            };
            let (fp50, fp99, ratio) = match &row.floor {
                Some(f) => (
                    format!("{:.2}", f.p50_ms),
                    format!("{:.2}", f.p99_ms),
                    format!("{:.2}", row.ours.p50_ms / f.p50_ms.max(1e-6)),
                ),
                None => ("–".into(), "–".into(), "–".into()),
            };
            let _ = writeln!(
                out,
                "| {} | {:.2} | {:.2} | {:.0} | {statements} | {fp50} | {fp99} | {ratio} |",
                row.name, row.ours.p50_ms, row.ours.p99_ms, row.ours.per_second
            );
        }
        out.push('\n');
    }
    out
}

pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let total =
        mem.lines().next().and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    format!("{cpu}, {cores} cores, {} GiB", total / 1024 / 1024)
}
