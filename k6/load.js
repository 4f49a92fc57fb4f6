// k6 load test for the notes service. Pick a profile with PROFILE=smoke|load|spike|soak:
//   k6 run -e PROFILE=load -e BASE_URL=http://localhost:3000 k6/load.js
import http from "k6/http";
import { check, group, sleep } from "k6";

const BASE_URL = (__ENV.BASE_URL || "http://localhost:3000").replace(/\/$/, "");
const PROFILE = __ENV.PROFILE || "smoke";
const P95_MS = Number(__ENV.P95_MS || 500);
const MAX_ERROR_RATE = Number(__ENV.MAX_ERROR_RATE || 0.01);

// Every profile is bounded in both users and time, so a run always ends by itself.
const PROFILES = {
  smoke: { vus: 2, duration: "15s" },
  load: {
    stages: [
      { duration: "20s", target: 10 },
      { duration: "40s", target: 20 },
      { duration: "20s", target: 20 },
      { duration: "10s", target: 0 },
    ],
  },
  spike: {
    stages: [
      { duration: "10s", target: 5 },
      { duration: "10s", target: 50 },
      { duration: "20s", target: 50 },
      { duration: "10s", target: 5 },
      { duration: "5s", target: 0 },
    ],
  },
  soak: { vus: 10, duration: "10m" },
};

if (!PROFILES[PROFILE]) {
  throw new Error(
    `Unknown PROFILE "${PROFILE}"; expected one of ${Object.keys(PROFILES).join(", ")}`,
  );
}

export const options = {
  ...PROFILES[PROFILE],
  thresholds: {
    http_req_duration: [`p(95)<${P95_MS}`],
    http_req_failed: [`rate<${MAX_ERROR_RATE}`],
    checks: [`rate>${1 - MAX_ERROR_RATE}`],
  },
};

const JSON_HEADERS = { headers: { "Content-Type": "application/json" } };

export default function () {
  group("probes", () => {
    const health = http.get(`${BASE_URL}/healthz`);
    check(health, { "healthz is 200": (r) => r.status === 200 });

    const version = http.get(`${BASE_URL}/version`);
    check(version, {
      "version is 200": (r) => r.status === 200,
      "version names a version": (r) => typeof r.json("version") === "string",
    });
  });

  group("notes", () => {
    const title = `k6 vu ${__VU} iteration ${__ITER}`;
    const created = http.post(
      `${BASE_URL}/notes`,
      JSON.stringify({ title, body: "written by the k6 load test" }),
      JSON_HEADERS,
    );
    check(created, {
      "create is 201": (r) => r.status === 201,
      "create echoes the title": (r) =>
        r.status === 201 && r.json("title") === title,
    });

    const listed = http.get(`${BASE_URL}/notes?limit=10`);
    check(listed, {
      "list is 200": (r) => r.status === 200,
      "list has notes": (r) => r.status === 200 && r.json("notes").length > 0,
    });
  });

  sleep(1);
}
