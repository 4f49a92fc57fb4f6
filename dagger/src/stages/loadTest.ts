import { dag } from "@dagger.io/dagger";
import { posix } from "node:path";
import type { LoadProfile } from "../core/config.js";
import { brokenGate, skippedGate, type GateVerdict } from "../core/gates.js";
import { loadGates } from "../core/parse/k6.js";
import { checkedImage, noDockerfile } from "./build.js";
import { postgresService, withDatabase } from "./postgres.js";
import { capture, readIfPresent, tail, type Project } from "./workspace.js";

const APP_HOST = "app";
const SUMMARY = "/tmp/k6-summary.json";
// 99 is k6's "thresholds crossed": the summary still tells by how much.
const K6_RESULT_CODES = [0, 99];

/** Runs the image as a service (Postgres bound and migrated when enabled) and drives it with the k6 script; skipped without an image. */
export async function loadTestGates(
  project: Project,
  profile: LoadProfile,
): Promise<GateVerdict[]> {
  const image = checkedImage(project);
  if (!image) return [skippedGate(`load (${profile})`, noDockerfile(project))];
  const { config, source } = project;
  const limits = config.loadTest.profiles[profile];
  const database = config.postgres.enabled
    ? await postgresService(project).start()
    : undefined;
  try {
    let app = database ? image.with(withDatabase(project, database)) : image;
    for (const [name, value] of Object.entries(config.app.env))
      app = app.withEnvVariable(name, value);
    if (database && config.app.migrate)
      await app.withExec(config.app.migrate).sync();
    const service = app
      .withExposedPort(config.app.port)
      .asService({ useEntrypoint: true });

    const script = config.loadTest.script;
    const result = await capture(
      dag
        .container()
        .from(config.images.k6)
        .withMountedDirectory(
          "/scripts",
          source.directory(posix.dirname(script)),
        )
        .withServiceBinding(APP_HOST, service),
      [
        "k6",
        "run",
        "--quiet",
        "--summary-export",
        SUMMARY,
        "--env",
        `BASE_URL=http://${APP_HOST}:${config.app.port}`,
        "--env",
        `PROFILE=${profile}`,
        "--env",
        `P95_MS=${limits.p95Ms}`,
        "--env",
        `MAX_ERROR_RATE=${limits.maxErrorRate}`,
        `/scripts/${posix.basename(script)}`,
      ],
      K6_RESULT_CODES,
    );
    const summary = await readIfPresent(result.container, SUMMARY);
    if (summary === undefined) {
      return [
        brokenGate(
          `load (${profile})`,
          `k6 did not complete (${tail(result)})`,
        ),
      ];
    }
    return loadGates(summary, profile, limits);
  } finally {
    await database?.stop();
  }
}
