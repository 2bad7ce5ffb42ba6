CREATE TYPE "public"."approval_status" AS ENUM('pending', 'approved', 'rejected', 'expired', 'failed');--> statement-breakpoint
CREATE TYPE "public"."change_door" AS ENUM('rest', 'mcp', 'cli', 'agent');--> statement-breakpoint
CREATE TYPE "public"."import_status" AS ENUM('previewed', 'committed', 'discarded');--> statement-breakpoint
ALTER TYPE "public"."batch_trigger" ADD VALUE 'change';--> statement-breakpoint
CREATE TABLE "agent_approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"tool_call_id" text NOT NULL,
	"tool_name" text NOT NULL,
	"arguments" jsonb NOT NULL,
	"summary" text NOT NULL,
	"status" "approval_status" DEFAULT 'pending' NOT NULL,
	"resume" jsonb,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "holdings_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"portfolio_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"door" "change_door" NOT NULL,
	"format" text NOT NULL,
	"filename" text,
	"content_hash" text NOT NULL,
	"row_count" integer NOT NULL,
	"problem_count" integer NOT NULL,
	"status" "import_status" DEFAULT 'previewed' NOT NULL,
	"preview" jsonb NOT NULL,
	"mode" text,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "portfolio_audit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"portfolio_id" uuid NOT NULL,
	"user_id" uuid,
	"door" "change_door" NOT NULL,
	"action" text NOT NULL,
	"position_id" uuid,
	"import_id" uuid,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "portfolios" ADD COLUMN "benchmark_symbol" text DEFAULT 'SPY' NOT NULL;--> statement-breakpoint
ALTER TABLE "portfolios" ADD COLUMN "book_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "portfolios" ADD COLUMN "book_change" jsonb;--> statement-breakpoint
ALTER TABLE "agent_approvals" ADD CONSTRAINT "agent_approvals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_approvals" ADD CONSTRAINT "agent_approvals_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holdings_imports" ADD CONSTRAINT "holdings_imports_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holdings_imports" ADD CONSTRAINT "holdings_imports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolio_audit" ADD CONSTRAINT "portfolio_audit_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolio_audit" ADD CONSTRAINT "portfolio_audit_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_approvals_conversation_idx" ON "agent_approvals" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "holdings_imports_portfolio_idx" ON "holdings_imports" USING btree ("portfolio_id","created_at");--> statement-breakpoint
CREATE INDEX "portfolio_audit_portfolio_idx" ON "portfolio_audit" USING btree ("portfolio_id","at");