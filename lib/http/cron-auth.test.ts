import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/http/api-error";
import { assertCronAuthorized } from "@/lib/http/cron-auth";

const SECRET = "s3cret-s3cret-s3cret";

function failure(fn: () => void): ApiError {
  try {
    fn();
  } catch (error) {
    return error as ApiError;
  }
  throw new Error("expected a failure");
}

describe("assertCronAuthorized", () => {
  it("accepts the right bearer secret", () => {
    expect(() => assertCronAuthorized(`Bearer ${SECRET}`, SECRET)).not.toThrow();
  });

  it.each([null, "", `Bearer ${SECRET}x`, SECRET, `Basic ${SECRET}`, "Bearer "])("refuses %j with 401", (header) => {
    expect(failure(() => assertCronAuthorized(header, SECRET))).toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("fails closed with 500 misconfigured when no secret is configured", () => {
    expect(failure(() => assertCronAuthorized(`Bearer anything`, undefined))).toMatchObject({
      status: 500, code: "misconfigured",
    });
  });
});
