// The graphql-http server audit against a running lvzhi (see graphql-http-audit.sh); exits
// non-zero on any failing MUST or SHOULD.
import { auditServer } from 'graphql-http';

const url = process.argv[2] ?? 'http://127.0.0.1:8000/graphql';
const results = await auditServer({ url });
let failed = 0;
for (const r of results) {
  const bad = r.status !== 'ok' && (r.name.startsWith('MUST') || r.name.startsWith('SHOULD'));
  if (bad) failed += 1;
  const text = r.status === 'ok' ? '' : ` — ${r.reason}`;
  console.log(`${r.status === 'ok' ? 'ok  ' : r.status.padEnd(4)} ${r.name}${text}`);
}
const counts = { ok: results.filter((r) => r.status === 'ok').length, failed };
console.log(`${counts.ok} passed, ${counts.failed} failed`);
process.exit(failed === 0 ? 0 : 1);
