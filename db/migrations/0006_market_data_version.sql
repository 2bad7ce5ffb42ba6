CREATE TABLE "market_data_version" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO "market_data_version" ("id", "version") VALUES (1, 0);
--> statement-breakpoint
CREATE FUNCTION "bump_market_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "market_data_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "market_prices_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "market_prices" FOR EACH STATEMENT EXECUTE FUNCTION "bump_market_data_version"();
--> statement-breakpoint
CREATE TRIGGER "treasury_rates_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "treasury_rates" FOR EACH STATEMENT EXECUTE FUNCTION "bump_market_data_version"();
