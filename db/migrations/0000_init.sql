CREATE TYPE "public"."user_role" AS ENUM('user', 'admin');--> statement-breakpoint
CREATE TYPE "public"."position_type" AS ENUM('LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP');--> statement-breakpoint
CREATE TYPE "public"."security_type" AS ENUM('stock', 'etf', 'mutual_fund', 'index', 'option');--> statement-breakpoint
CREATE TYPE "public"."tag_type" AS ENUM('REGULAR', 'STRATEGY');--> statement-breakpoint
CREATE TYPE "public"."batch_trigger" AS ENUM('schedule', 'cli', 'api', 'agent', 'startup');--> statement-breakpoint
CREATE TYPE "public"."run_status" AS ENUM('queued', 'running', 'succeeded', 'partial', 'failed', 'skipped');--> statement-breakpoint
CREATE TYPE "public"."message_role" AS ENUM('user', 'assistant', 'system');--> statement-breakpoint
CREATE TYPE "public"."message_status" AS ENUM('complete', 'partial', 'aborted', 'error');--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"username" text,
	"full_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" "user_role" DEFAULT 'user' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "factor_definitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"engine_key" text,
	"description" text,
	"factor_type" text NOT NULL,
	"calculation_method" text NOT NULL,
	"etf_proxy" text,
	"display_order" integer NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "factor_definitions_name_unique" UNIQUE("name"),
	CONSTRAINT "factor_definitions_engineKey_unique" UNIQUE("engine_key")
);
--> statement-breakpoint
CREATE TABLE "portfolios" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"currency" text DEFAULT 'USD' NOT NULL,
	"opening_equity" numeric(20, 2) DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "position_tags" (
	"position_id" uuid NOT NULL,
	"tag_id" uuid NOT NULL,
	CONSTRAINT "position_tags_position_id_tag_id_pk" PRIMARY KEY("position_id","tag_id")
);
--> statement-breakpoint
CREATE TABLE "positions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"portfolio_id" uuid NOT NULL,
	"symbol" text NOT NULL,
	"position_type" "position_type" NOT NULL,
	"quantity" numeric(20, 6) NOT NULL,
	"entry_price" numeric(20, 6) NOT NULL,
	"entry_date" date NOT NULL,
	"exit_price" numeric(20, 6),
	"exit_date" date,
	"multiplier" integer DEFAULT 1 NOT NULL,
	"underlying_symbol" text,
	"strike_price" numeric(20, 6),
	"expiration_date" date,
	"proxy_symbol" text,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "positions_natural_key" UNIQUE("portfolio_id","symbol","entry_date")
);
--> statement-breakpoint
CREATE TABLE "securities" (
	"symbol" text PRIMARY KEY NOT NULL,
	"name" text,
	"security_type" "security_type" NOT NULL,
	"sector" text,
	"industry" text,
	"exchange" text,
	"country" text,
	"market_cap_usd" double precision,
	"proxy_symbol" text,
	"is_unresolvable" boolean DEFAULT false NOT NULL,
	"unresolvable_reason" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stress_scenarios" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"category" text NOT NULL,
	"group_key" text NOT NULL,
	"severity" text NOT NULL,
	"shocks" jsonb NOT NULL,
	"catalogue_order" integer NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tags" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"tag_type" "tag_type" DEFAULT 'REGULAR' NOT NULL,
	"color" text,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tags_user_name" UNIQUE("user_id","name")
);
--> statement-breakpoint
CREATE TABLE "data_loads" (
	"name" text PRIMARY KEY NOT NULL,
	"checksum" text NOT NULL,
	"rows" numeric(12, 0) NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "market_prices" (
	"symbol" text NOT NULL,
	"date" date NOT NULL,
	"close" numeric(20, 6) NOT NULL,
	"open" numeric(20, 6),
	"high" numeric(20, 6),
	"low" numeric(20, 6),
	"volume" double precision,
	"source" text NOT NULL,
	"source_rank" smallint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "market_prices_symbol_date_pk" PRIMARY KEY("symbol","date")
);
--> statement-breakpoint
CREATE TABLE "treasury_rates" (
	"series" text NOT NULL,
	"date" date NOT NULL,
	"yield_pct" numeric(10, 4) NOT NULL,
	"source" text NOT NULL,
	"source_rank" smallint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "treasury_rates_series_date_pk" PRIMARY KEY("series","date")
);
--> statement-breakpoint
CREATE TABLE "batch_phase_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"portfolio_id" uuid,
	"phase" text NOT NULL,
	"status" "run_status" DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"rows_written" integer DEFAULT 0 NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	CONSTRAINT "batch_phase_runs_key" UNIQUE NULLS NOT DISTINCT("run_id","portfolio_id","phase")
);
--> statement-breakpoint
CREATE TABLE "batch_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"as_of" date NOT NULL,
	"trigger" "batch_trigger" NOT NULL,
	"status" "run_status" DEFAULT 'queued' NOT NULL,
	"requested_by" uuid,
	"portfolio_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "correlation_calculations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"portfolio_id" uuid NOT NULL,
	"as_of" date NOT NULL,
	"window_days" integer NOT NULL,
	"symbols" jsonb NOT NULL,
	"overall_correlation" double precision,
	"diversification_score" double precision,
	"effective_positions" double precision,
	"concentration_score" double precision,
	"included_count" integer NOT NULL,
	"excluded_count" integer NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"run_id" uuid,
	CONSTRAINT "correlation_calculations_key" UNIQUE("portfolio_id","as_of","window_days")
);
--> statement-breakpoint
CREATE TABLE "correlation_clusters" (
	"calculation_id" uuid NOT NULL,
	"method" text NOT NULL,
	"cluster_index" integer NOT NULL,
	"nickname" text NOT NULL,
	"members" jsonb NOT NULL,
	"avg_correlation" double precision,
	"gross_value" numeric(20, 2),
	CONSTRAINT "correlation_clusters_calculation_id_method_cluster_index_pk" PRIMARY KEY("calculation_id","method","cluster_index")
);
--> statement-breakpoint
CREATE TABLE "factor_covariances" (
	"as_of" date NOT NULL,
	"method" text NOT NULL,
	"factors" jsonb NOT NULL,
	"matrix" jsonb NOT NULL,
	"n_obs" integer NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"run_id" uuid,
	CONSTRAINT "factor_covariances_as_of_method_pk" PRIMARY KEY("as_of","method")
);
--> statement-breakpoint
CREATE TABLE "factor_exposures" (
	"portfolio_id" uuid NOT NULL,
	"factor_id" uuid NOT NULL,
	"as_of" date NOT NULL,
	"model" text NOT NULL,
	"beta" double precision,
	"exposure_dollar" numeric(20, 2) NOT NULL,
	"coverage_pct" double precision NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"run_id" uuid,
	CONSTRAINT "factor_exposures_portfolio_id_factor_id_as_of_model_pk" PRIMARY KEY("portfolio_id","factor_id","as_of","model")
);
--> statement-breakpoint
CREATE TABLE "market_risk_scenarios" (
	"portfolio_id" uuid NOT NULL,
	"as_of" date NOT NULL,
	"scenario_key" text NOT NULL,
	"scenario_type" text NOT NULL,
	"shock_value" double precision NOT NULL,
	"pnl_linear" numeric(20, 2) NOT NULL,
	"pnl_full_reval" numeric(20, 2),
	"pnl_pct_nav" double precision,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"run_id" uuid,
	CONSTRAINT "market_risk_scenarios_portfolio_id_as_of_scenario_key_pk" PRIMARY KEY("portfolio_id","as_of","scenario_key")
);
--> statement-breakpoint
CREATE TABLE "pairwise_correlations" (
	"calculation_id" uuid NOT NULL,
	"symbol_a" text NOT NULL,
	"symbol_b" text NOT NULL,
	"correlation" double precision,
	"data_points" integer NOT NULL,
	"p_value" double precision,
	CONSTRAINT "pairwise_correlations_calculation_id_symbol_a_symbol_b_pk" PRIMARY KEY("calculation_id","symbol_a","symbol_b")
);
--> statement-breakpoint
CREATE TABLE "portfolio_exposures" (
	"portfolio_id" uuid NOT NULL,
	"as_of" date NOT NULL,
	"nav" numeric(20, 2),
	"cash" numeric(20, 2),
	"long_exposure" numeric(20, 2) NOT NULL,
	"short_exposure" numeric(20, 2) NOT NULL,
	"gross_exposure" numeric(20, 2) NOT NULL,
	"net_exposure" numeric(20, 2) NOT NULL,
	"delta_adj_net" numeric(20, 2),
	"delta_adj_long" numeric(20, 2),
	"delta_adj_short" numeric(20, 2),
	"notional" numeric(20, 2),
	"options_exposure" numeric(20, 2),
	"stock_exposure" numeric(20, 2),
	"position_count" integer NOT NULL,
	"long_count" integer NOT NULL,
	"short_count" integer NOT NULL,
	"breakdowns" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"run_id" uuid,
	CONSTRAINT "portfolio_exposures_portfolio_id_as_of_pk" PRIMARY KEY("portfolio_id","as_of")
);
--> statement-breakpoint
CREATE TABLE "portfolio_snapshots" (
	"portfolio_id" uuid NOT NULL,
	"as_of" date NOT NULL,
	"nav" numeric(20, 2) NOT NULL,
	"cash" numeric(20, 2) NOT NULL,
	"long_value" numeric(20, 2) NOT NULL,
	"short_value" numeric(20, 2) NOT NULL,
	"gross_exposure" numeric(20, 2) NOT NULL,
	"net_exposure" numeric(20, 2) NOT NULL,
	"delta_adj_net" numeric(20, 2),
	"daily_pnl" numeric(20, 2) NOT NULL,
	"daily_return" double precision,
	"cumulative_pnl" numeric(20, 2) NOT NULL,
	"dollar_delta" double precision,
	"dollar_gamma1pct" double precision,
	"theta_dollars_per_day" double precision,
	"vega_dollars_per_vol_pt" double precision,
	"rho_dollars_per_pct" double precision,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"price_coverage_pct" double precision NOT NULL,
	"stale_price_count" integer DEFAULT 0 NOT NULL,
	"is_complete" boolean DEFAULT true NOT NULL,
	"run_id" uuid,
	CONSTRAINT "portfolio_snapshots_portfolio_id_as_of_pk" PRIMARY KEY("portfolio_id","as_of")
);
--> statement-breakpoint
CREATE TABLE "position_factor_exposures" (
	"position_id" uuid NOT NULL,
	"factor_id" uuid NOT NULL,
	"as_of" date NOT NULL,
	"model" text NOT NULL,
	"portfolio_id" uuid NOT NULL,
	"source_symbol" text NOT NULL,
	"beta" double precision NOT NULL,
	"exposure_dollar" numeric(20, 2),
	"quality_flag" text NOT NULL,
	"run_id" uuid,
	CONSTRAINT "position_factor_exposures_position_id_factor_id_as_of_model_pk" PRIMARY KEY("position_id","factor_id","as_of","model")
);
--> statement-breakpoint
CREATE TABLE "position_greeks" (
	"position_id" uuid NOT NULL,
	"as_of" date NOT NULL,
	"portfolio_id" uuid NOT NULL,
	"underlying_price" double precision,
	"vol_annual" double precision,
	"vol_source" text,
	"rate_cont" double precision,
	"tenor_years" double precision,
	"model_price" double precision,
	"delta" double precision,
	"gamma" double precision,
	"theta_per_day" double precision,
	"vega_per_vol_point" double precision,
	"rho_per_pct" double precision,
	"share_delta" double precision,
	"dollar_delta" double precision,
	"gamma_shares" double precision,
	"dollar_gamma1pct" double precision,
	"theta_dollars_per_day" double precision,
	"vega_dollars_per_vol_pt" double precision,
	"rho_dollars_per_pct" double precision,
	"is_expired" boolean DEFAULT false NOT NULL,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"run_id" uuid,
	CONSTRAINT "position_greeks_position_id_as_of_pk" PRIMARY KEY("position_id","as_of")
);
--> statement-breakpoint
CREATE TABLE "position_valuations" (
	"position_id" uuid NOT NULL,
	"as_of" date NOT NULL,
	"portfolio_id" uuid NOT NULL,
	"price" numeric(20, 6),
	"price_date" date,
	"price_source" text NOT NULL,
	"is_stale" boolean DEFAULT false NOT NULL,
	"underlying_price" numeric(20, 6),
	"market_value" numeric(20, 2),
	"abs_market_value" numeric(20, 2),
	"cost_basis" numeric(20, 2),
	"unrealized_pnl" numeric(20, 2),
	"delta_adj_exposure" numeric(20, 2),
	"notional" numeric(20, 2),
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"run_id" uuid,
	CONSTRAINT "position_valuations_position_id_as_of_pk" PRIMARY KEY("position_id","as_of")
);
--> statement-breakpoint
CREATE TABLE "risk_metrics" (
	"portfolio_id" uuid NOT NULL,
	"as_of" date NOT NULL,
	"window_days" integer NOT NULL,
	"n_obs" integer NOT NULL,
	"vol_annual" double precision,
	"var95_one_day" numeric(20, 2),
	"var99_one_day" numeric(20, 2),
	"cvar95_one_day" numeric(20, 2),
	"cvar99_one_day" numeric(20, 2),
	"var95_ten_day" numeric(20, 2),
	"var99_ten_day" numeric(20, 2),
	"parametric_var95_one_day" numeric(20, 2),
	"parametric_var99_one_day" numeric(20, 2),
	"max_drawdown" double precision,
	"sharpe" double precision,
	"sortino" double precision,
	"beta_to_spy" double precision,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"run_id" uuid,
	CONSTRAINT "risk_metrics_portfolio_id_as_of_window_days_pk" PRIMARY KEY("portfolio_id","as_of","window_days")
);
--> statement-breakpoint
CREATE TABLE "stress_test_results" (
	"portfolio_id" uuid NOT NULL,
	"scenario_id" text NOT NULL,
	"as_of" date NOT NULL,
	"direct_pnl" numeric(20, 2) NOT NULL,
	"correlated_pnl" numeric(20, 2) NOT NULL,
	"correlation_effect" numeric(20, 2) NOT NULL,
	"pnl_pct_nav" double precision,
	"exceeds_portfolio_value" boolean DEFAULT false NOT NULL,
	"factor_impacts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"position_contributions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"run_id" uuid,
	CONSTRAINT "stress_test_results_portfolio_id_scenario_id_as_of_pk" PRIMARY KEY("portfolio_id","scenario_id","as_of")
);
--> statement-breakpoint
CREATE TABLE "symbol_factor_betas" (
	"symbol" text NOT NULL,
	"as_of" date NOT NULL,
	"model" text NOT NULL,
	"factor" text NOT NULL,
	"beta" double precision NOT NULL,
	"beta_raw" double precision NOT NULL,
	"std_err" double precision,
	"t_stat" double precision,
	"r_squared" double precision,
	"n_obs" integer NOT NULL,
	"window_days" integer NOT NULL,
	"run_id" uuid,
	CONSTRAINT "symbol_factor_betas_symbol_as_of_model_factor_pk" PRIMARY KEY("symbol","as_of","model","factor")
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"portfolio_id" uuid,
	"mode" text DEFAULT 'green' NOT NULL,
	"title" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"role" "message_role" NOT NULL,
	"content" text DEFAULT '' NOT NULL,
	"status" "message_status" DEFAULT 'complete' NOT NULL,
	"client_request_id" text,
	"model" text,
	"usage" jsonb,
	"error" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "messages_request_key" UNIQUE("conversation_id","role","client_request_id")
);
--> statement-breakpoint
CREATE TABLE "tool_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id" uuid NOT NULL,
	"tool_call_id" text NOT NULL,
	"name" text NOT NULL,
	"arguments" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ok" boolean,
	"row_count" integer,
	"truncated" boolean,
	"result_bytes" integer,
	"duration_ms" integer,
	"error" text,
	"round" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolios" ADD CONSTRAINT "portfolios_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "position_tags" ADD CONSTRAINT "position_tags_position_id_positions_id_fk" FOREIGN KEY ("position_id") REFERENCES "public"."positions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "position_tags" ADD CONSTRAINT "position_tags_tag_id_tags_id_fk" FOREIGN KEY ("tag_id") REFERENCES "public"."tags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tags" ADD CONSTRAINT "tags_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_phase_runs" ADD CONSTRAINT "batch_phase_runs_run_id_batch_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."batch_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_phase_runs" ADD CONSTRAINT "batch_phase_runs_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_runs" ADD CONSTRAINT "batch_runs_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "correlation_calculations" ADD CONSTRAINT "correlation_calculations_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "correlation_calculations" ADD CONSTRAINT "correlation_calculations_run_id_batch_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."batch_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "correlation_clusters" ADD CONSTRAINT "correlation_clusters_calculation_id_correlation_calculations_id_fk" FOREIGN KEY ("calculation_id") REFERENCES "public"."correlation_calculations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "factor_covariances" ADD CONSTRAINT "factor_covariances_run_id_batch_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."batch_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "factor_exposures" ADD CONSTRAINT "factor_exposures_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "factor_exposures" ADD CONSTRAINT "factor_exposures_factor_id_factor_definitions_id_fk" FOREIGN KEY ("factor_id") REFERENCES "public"."factor_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "factor_exposures" ADD CONSTRAINT "factor_exposures_run_id_batch_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."batch_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_risk_scenarios" ADD CONSTRAINT "market_risk_scenarios_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_risk_scenarios" ADD CONSTRAINT "market_risk_scenarios_run_id_batch_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."batch_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairwise_correlations" ADD CONSTRAINT "pairwise_correlations_calculation_id_correlation_calculations_id_fk" FOREIGN KEY ("calculation_id") REFERENCES "public"."correlation_calculations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolio_exposures" ADD CONSTRAINT "portfolio_exposures_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolio_exposures" ADD CONSTRAINT "portfolio_exposures_run_id_batch_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."batch_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolio_snapshots" ADD CONSTRAINT "portfolio_snapshots_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolio_snapshots" ADD CONSTRAINT "portfolio_snapshots_run_id_batch_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."batch_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "position_factor_exposures" ADD CONSTRAINT "position_factor_exposures_position_id_positions_id_fk" FOREIGN KEY ("position_id") REFERENCES "public"."positions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "position_factor_exposures" ADD CONSTRAINT "position_factor_exposures_factor_id_factor_definitions_id_fk" FOREIGN KEY ("factor_id") REFERENCES "public"."factor_definitions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "position_factor_exposures" ADD CONSTRAINT "position_factor_exposures_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "position_factor_exposures" ADD CONSTRAINT "position_factor_exposures_run_id_batch_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."batch_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "position_greeks" ADD CONSTRAINT "position_greeks_position_id_positions_id_fk" FOREIGN KEY ("position_id") REFERENCES "public"."positions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "position_greeks" ADD CONSTRAINT "position_greeks_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "position_greeks" ADD CONSTRAINT "position_greeks_run_id_batch_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."batch_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "position_valuations" ADD CONSTRAINT "position_valuations_position_id_positions_id_fk" FOREIGN KEY ("position_id") REFERENCES "public"."positions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "position_valuations" ADD CONSTRAINT "position_valuations_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "position_valuations" ADD CONSTRAINT "position_valuations_run_id_batch_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."batch_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_metrics" ADD CONSTRAINT "risk_metrics_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_metrics" ADD CONSTRAINT "risk_metrics_run_id_batch_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."batch_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stress_test_results" ADD CONSTRAINT "stress_test_results_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stress_test_results" ADD CONSTRAINT "stress_test_results_scenario_id_stress_scenarios_id_fk" FOREIGN KEY ("scenario_id") REFERENCES "public"."stress_scenarios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stress_test_results" ADD CONSTRAINT "stress_test_results_run_id_batch_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."batch_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "symbol_factor_betas" ADD CONSTRAINT "symbol_factor_betas_run_id_batch_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."batch_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_calls" ADD CONSTRAINT "tool_calls_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "portfolios_user_idx" ON "portfolios" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "position_tags_tag_idx" ON "position_tags" USING btree ("tag_id");--> statement-breakpoint
CREATE INDEX "positions_portfolio_idx" ON "positions" USING btree ("portfolio_id");--> statement-breakpoint
CREATE INDEX "market_prices_date_idx" ON "market_prices" USING btree ("date");--> statement-breakpoint
CREATE INDEX "batch_phase_runs_portfolio_idx" ON "batch_phase_runs" USING btree ("portfolio_id");--> statement-breakpoint
CREATE INDEX "batch_runs_as_of_idx" ON "batch_runs" USING btree ("as_of");--> statement-breakpoint
CREATE INDEX "position_factor_exposures_portfolio_idx" ON "position_factor_exposures" USING btree ("portfolio_id","as_of");--> statement-breakpoint
CREATE INDEX "position_greeks_portfolio_idx" ON "position_greeks" USING btree ("portfolio_id","as_of");--> statement-breakpoint
CREATE INDEX "position_valuations_portfolio_idx" ON "position_valuations" USING btree ("portfolio_id","as_of");--> statement-breakpoint
CREATE INDEX "conversations_user_idx" ON "conversations" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "messages_conversation_idx" ON "messages" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "tool_calls_message_idx" ON "tool_calls" USING btree ("message_id");