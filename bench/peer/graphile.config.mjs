// PostGraphile v5 as the benchmark harness runs it: the amber preset and nothing else, the
// lvzhi bench database's public schema, a pool of 8 like lvzhi's. The harness copies this
// file into its work dir and starts `postgraphile -C graphile.config.mjs` with Node 22,
// GRAPHILE_ENV=production, DATABASE_URL and PORT set.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

export default {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: 8 },
    }),
  ],
  grafserv: { host: "127.0.0.1", port: Number(process.env.PORT), watch: false },
};
