CREATE TABLE "backtest_day_forecasts" (
	"portfolio_id" uuid NOT NULL,
	"key" text NOT NULL,
	"day" date NOT NULL,
	"forecast" jsonb NOT NULL,
	CONSTRAINT "backtest_day_forecasts_portfolio_id_key_pk" PRIMARY KEY("portfolio_id","key")
);
--> statement-breakpoint
ALTER TABLE "backtest_day_forecasts" ADD CONSTRAINT "backtest_day_forecasts_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "backtest_day_forecasts_day_idx" ON "backtest_day_forecasts" USING btree ("portfolio_id","day");