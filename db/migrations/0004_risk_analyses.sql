CREATE TABLE "risk_analyses" (
	"portfolio_id" uuid NOT NULL,
	"as_of" date NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"run_id" uuid,
	CONSTRAINT "risk_analyses_portfolio_id_as_of_kind_pk" PRIMARY KEY("portfolio_id","as_of","kind")
);
--> statement-breakpoint
ALTER TABLE "risk_analyses" ADD CONSTRAINT "risk_analyses_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_analyses" ADD CONSTRAINT "risk_analyses_run_id_batch_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."batch_runs"("id") ON DELETE set null ON UPDATE no action;