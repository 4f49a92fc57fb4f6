import { dag, type Directory, type Service } from "@dagger.io/dagger";
import { posix } from "node:path";
import { brokenGate, skippedGate, type GateVerdict } from "../core/gates.js";
import {
  CATEGORIES,
  lighthouseGate,
  parseLighthouseResult,
} from "../core/lighthouse/result.js";
import { checkedImage, noDockerfile } from "./build.js";
import { withServiceUnderLoad } from "./load/service.js";
import { builtWorkspace } from "./sizeBudget.js";
import {
  capture,
  readIfPresent,
  SRC,
  tail,
  type Project,
} from "./workspace.js";

const SITE_HOST = "site";
const STATIC_PORT = 80;
const REPORTS = "/tmp/lighthouse";
const FORWARDING = "/tmp/lighthouse-forwarding";

// Lighthouse judges a plain-HTTP origin other than localhost insecure (best practices: HTTPS), as a browser would;
// the audited app is reached at localhost, forwarded to the service, as when it is audited on a developer's machine.
const FORWARD = `
const net = require("node:net"), fs = require("node:fs");
const [localPort, host, port, ready] = process.argv.slice(1);
net.createServer((client) => {
  const upstream = net.connect(Number(port), host);
  client.pipe(upstream).pipe(client);
  client.on("error", () => upstream.destroy());
  upstream.on("error", () => client.destroy());
}).listen(Number(localPort), "127.0.0.1", () => fs.writeFileSync(ready, ""));`;
// Ports below 1024 need root, which the Lighthouse image does not run as.
const unprivileged = (port: number) => (port < 1024 ? 8080 : port);

// Runs Lighthouse on each page in turn, one JSON result per page (0.json, 1.json, …); a page without one failed to run.
const AUDIT_PAGES = `
local=$1 host=$2 port=$3; shift 3
node -e "$FORWARD" "$local" "$host" "$port" ${FORWARDING} &
forwarder=$!
while [ ! -f ${FORWARDING} ]; do kill -0 $forwarder 2>/dev/null || exit 1; sleep 0.1; done
mkdir -p ${REPORTS}; i=0
for page in "$@"; do
  lighthouse "http://localhost:$local$page" --quiet --output=json --output-path=${REPORTS}/$i.json $PRESET \\
    --only-categories=${CATEGORIES.join(",")} \\
    --chrome-flags="--headless=new --no-sandbox --disable-dev-shm-usage --disable-gpu"
  i=$((i + 1))
done`;

/** The pages Lighthouse audits: lighthouse.pages, or the site root of lighthouse.staticDir. */
export function lighthousePages(project: Project): string[] {
  const { pages, staticDir } = project.config.lighthouse;
  return pages.length ? pages : staticDir !== undefined ? ["/"] : [];
}

/**
 * Lighthouse on each configured page of the app started as a service (as the load test starts it), or of
 * lighthouse.staticDir served by nginx; one gate per page. Skipped, with what to set, when nothing is configured.
 */
export async function lighthouseGates(
  project: Project,
): Promise<GateVerdict[]> {
  const pages = lighthousePages(project);
  if (!pages.length)
    return [
      skippedGate(
        "lighthouse",
        "no pages configured: set lighthouse.pages (paths on the app) or lighthouse.staticDir (a directory to serve) in gantry.config.json",
      ),
    ];
  const { staticDir } = project.config.lighthouse;
  if (staticDir !== undefined)
    return auditPages(
      project,
      pages,
      staticSite(project, await siteDirectory(project, staticDir)),
      STATIC_PORT,
    );
  const image = checkedImage(project);
  if (!image) return [skippedGate("lighthouse", noDockerfile(project))];
  return withServiceUnderLoad(project, image, (app) =>
    auditPages(project, pages, app.service, app.port),
  );
}

/** staticDir as the build script leaves it (a committed directory, when there is no build script). */
async function siteDirectory(
  project: Project,
  staticDir: string,
): Promise<Directory> {
  const built = await builtWorkspace(project);
  return built
    ? built.directory(posix.join(SRC, staticDir))
    : project.source.directory(staticDir);
}

function staticSite(project: Project, site: Directory): Service {
  return dag
    .container()
    .from(project.config.images.staticServer)
    .withDirectory("/usr/share/nginx/html", site)
    .withExposedPort(STATIC_PORT)
    .asService({ useEntrypoint: true });
}

async function auditPages(
  project: Project,
  pages: string[],
  site: Service,
  port: number,
): Promise<GateVerdict[]> {
  const result = await capture(
    dag
      .container()
      .from(project.config.images.lighthouse)
      .withEnvVariable("CI", "true")
      .withEnvVariable("FORWARD", FORWARD)
      // Mobile is Lighthouse's default and has no --preset of its own.
      .withEnvVariable(
        "PRESET",
        project.config.lighthouse.preset === "desktop"
          ? "--preset=desktop"
          : "",
      )
      .withServiceBinding(SITE_HOST, site),
    [
      "sh",
      "-c",
      AUDIT_PAGES,
      "sh",
      String(unprivileged(port)),
      SITE_HOST,
      String(port),
      ...pages,
    ],
    [0],
  );
  const { minScores } = project.config.lighthouse;
  return Promise.all(
    pages.map(async (page, index) => {
      const json = await readIfPresent(
        result.container,
        `${REPORTS}/${index}.json`,
      );
      return json === undefined
        ? brokenGate(
            `lighthouse: ${page}`,
            `Lighthouse wrote no result for ${page} (${tail(result)})`,
          )
        : lighthouseGate(parseLighthouseResult(page, json), minScores);
    }),
  );
}
