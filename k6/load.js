// @ts-check
// k6 load test for the notes service. Gantry runs it (loadTest.tool "k6") with the profile's schedule in
// GANTRY_SCENARIO (a ramping-arrival-rate scenario), BASE_URL and REQUEST_TIMEOUT, and computes the p95, p99,
// error-rate and throughput gates from the summary export itself. By hand, a short smoke run:
//   k6 run -e BASE_URL=http://localhost:3000 k6/load.js
import http from "k6/http";
import { check, group } from "k6";

const BASE_URL = (__ENV.BASE_URL || "http://localhost:3000").replace(/\/$/, "");
const REQUEST_TIMEOUT = __ENV.REQUEST_TIMEOUT || "10s";

/** @type {import("k6/options").Scenario} */
const HAND_RUN = {
  executor: "constant-arrival-rate",
  rate: 2,
  timeUnit: "1s",
  duration: "5s",
  preAllocatedVUs: 2,
  maxVUs: 10,
};

/** @type {import("k6/options").Options} */
export const options = {
  scenarios: {
    [__ENV.PROFILE || "smoke"]: __ENV.GANTRY_SCENARIO
      ? JSON.parse(__ENV.GANTRY_SCENARIO)
      : HAND_RUN,
  },
  // What Gantry's gates cannot see: answers with the right status but the wrong body. Latency and failed
  // requests are gated by Gantry from the summary, per profile.
  thresholds: { checks: ["rate>0.99"] },
};

/** @type {import("k6/http").RefinedParams<"text">} */
const JSON_REQUEST = {
  headers: { "Content-Type": "application/json" },
  timeout: REQUEST_TIMEOUT,
};

export default function () {
  group("probes", () => {
    const health = http.get(`${BASE_URL}/healthz`, JSON_REQUEST);
    check(health, { "healthz is 200": (r) => r.status === 200 });

    const version = http.get(`${BASE_URL}/version`, JSON_REQUEST);
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
      JSON_REQUEST,
    );
    check(created, {
      "create is 201": (r) => r.status === 201,
      "create echoes the title": (r) =>
        r.status === 201 && r.json("title") === title,
    });

    const listed = http.get(`${BASE_URL}/notes?limit=10`, JSON_REQUEST);
    check(listed, {
      "list is 200": (r) => r.status === 200,
      "list has notes": (r) => {
        const notes = r.status === 200 ? r.json("notes") : null;
        return Array.isArray(notes) && notes.length > 0;
      },
    });
  });
}
