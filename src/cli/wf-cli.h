/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Exit statuses of wristflash-cli: a stable contract for scripts. */
#define WF_CLI_EXIT_OK	  0
#define WF_CLI_EXIT_ERROR 1
#define WF_CLI_EXIT_USAGE 2

/**
 * WfCli:
 *
 * The global options every command sees. They are accepted before or after
 * the command name.
 */
typedef struct {
	gchar *port;		   /* --port PATH */
	gboolean simulate;	   /* --simulate: the virtual watch in this process */
	gboolean json;		   /* --json: machine-readable stdout */
	gchar *wire_log;	   /* --wire-log FILE */
	gboolean verbose;	   /* --verbose: debug messages on stderr */
	GCancellable *cancellable; /* cancelled by SIGINT/SIGTERM */
} WfCli;

typedef int (*WfCliCommandFunc)(WfCli *cli, int argc, char **argv);

typedef struct {
	const gchar *name;
	const gchar *summary;
	WfCliCommandFunc func;
} WfCliCommand;

/* helpers shared by every command */
int
wf_cli_fail(WfCli *cli, const GError *error);
int
wf_cli_usage_error(WfCli *cli, GOptionContext *context, const gchar *message);
void
wf_cli_print_json(WfCli *cli, JsonNode *node);
void
wf_cli_print_json_builder(WfCli *cli, JsonBuilder *builder);
gboolean
wf_cli_parse_options(WfCli *cli,
		     const gchar *command,
		     const gchar *parameter_string,
		     const gchar *description,
		     const GOptionEntry *entries,
		     int *argc,
		     char ***argv,
		     int *exit_status);

/* commands, one file per group */
int
wf_cli_cmd_ports(WfCli *cli, int argc, char **argv);
int
wf_cli_cmd_doctor(WfCli *cli, int argc, char **argv);
int
wf_cli_cmd_wait(WfCli *cli, int argc, char **argv);
int
wf_cli_cmd_info(WfCli *cli, int argc, char **argv);
int
wf_cli_cmd_backup(WfCli *cli, int argc, char **argv);

/* device profiles (wf-cli-profiles.c); `check` exits WF_CLI_EXIT_RISKY for a risky verdict */
#define WF_CLI_EXIT_RISKY 3
int
wf_cli_cmd_profiles(WfCli *cli, int argc, char **argv);
int
wf_cli_cmd_identify(WfCli *cli, int argc, char **argv);
int
wf_cli_cmd_check(WfCli *cli, int argc, char **argv);
int
wf_cli_cmd_restore(WfCli *cli, int argc, char **argv);
int
wf_cli_cmd_flash(WfCli *cli, int argc, char **argv);
int
wf_cli_cmd_erase(WfCli *cli, int argc, char **argv);
int
wf_cli_cmd_da_info(WfCli *cli, int argc, char **argv);
int
wf_cli_cmd_inspect(WfCli *cli, int argc, char **argv);
int
wf_cli_cmd_split(WfCli *cli, int argc, char **argv);
int
wf_cli_cmd_codes(WfCli *cli, int argc, char **argv);

G_END_DECLS
