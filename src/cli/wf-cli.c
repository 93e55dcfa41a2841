/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-cli.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "wf-error.h"

/* Keep sorted the way `--help` should list them: device commands first. */
static const WfCliCommand wf_cli_commands[] = {
	{"ports",
	 N_("List serial ports that could be a watch, and who holds them"),
	 wf_cli_cmd_ports},
	{"doctor", N_("Check permissions, the udev rule and ModemManager"), wf_cli_cmd_doctor},
	{"wait", N_("Wait for a watch in boot-ROM mode and catch it"), wf_cli_cmd_wait},
	{"info", N_("Identify the watch: chip, flash, boot ROM"), wf_cli_cmd_info},
	{"backup", N_("Make a verified full-flash backup"), wf_cli_cmd_backup},
	{"restore", N_("Write a verified backup back, only what differs"), wf_cli_cmd_restore},
	{"flash", N_("Write firmware files (needs a backup of the watch)"), wf_cli_cmd_flash},
	{"erase", N_("Erase a range of the flash (advanced)"), wf_cli_cmd_erase},
	{"da-info", N_("List the entries of a Download Agent file"), wf_cli_cmd_da_info},
	{"profiles",
	 N_("List the device profiles (SoCs, flash parts, watch models)"),
	 wf_cli_cmd_profiles},
	{"identify", N_("Tell which watch a backup comes from"), wf_cli_cmd_identify},
	{"check", N_("Tell whether a firmware will work on a watch"), wf_cli_cmd_check},
	{"inspect", N_("Tell what a firmware file, package or dump holds"), wf_cli_cmd_inspect},
	{"split", N_("Turn a full-flash dump into a flashable package"), wf_cli_cmd_split},
	{"codes", N_("List the secret dial codes in a firmware"), wf_cli_cmd_codes},
};

static void
wf_cli_print_usage(FILE *out)
{
	fprintf(out,
		"%s\n\n",
		_("Usage: wristflash-cli [--port PATH | --simulate] [--json] [--wire-log FILE] "
		  "COMMAND [ARGS…]"));
	fprintf(out, "%s\n", _("Back up, flash and restore MediaTek MT6261/MT6260 smartwatches."));
	fprintf(out, "\n%s\n", _("Commands:"));
	for (guint i = 0; i < G_N_ELEMENTS(wf_cli_commands); i++)
		fprintf(out,
			"  %-10s %s\n",
			wf_cli_commands[i].name,
			_(wf_cli_commands[i].summary));
	fprintf(out, "\n%s\n", _("Global options (before or after the command):"));
	fprintf(out, "  --port PATH      %s\n", _("use this serial port (waits for it to appear)"));
	fprintf(out, "  --simulate       %s\n", _("use the virtual watch inside this program"));
	fprintf(out,
		"  --json           %s\n",
		_("machine-readable output, one JSON object per line"));
	fprintf(out, "  --wire-log FILE  %s\n", _("record every byte on the wire to FILE"));
	fprintf(out, "  --verbose        %s\n", _("show debug messages"));
	fprintf(out, "\n%s\n", _("Run “wristflash-cli COMMAND --help” for a command’s options."));
}

/*
 * Pulls the global options out of argv wherever they stand, so that both
 * `wristflash-cli --json info` and `wristflash-cli info --json` work, and
 * leaves the command and its own arguments in place.
 */
static gboolean
wf_cli_take_global_options(WfCli *cli, int *argc, char **argv, GError **error)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		const gchar *arg = argv[i];
		const gchar *value = NULL;

		if (g_strcmp0(arg, "--") == 0) {
			for (; i < *argc; i++)
				argv[out++] = argv[i];
			break;
		}
		if (g_strcmp0(arg, "--simulate") == 0) {
			cli->simulate = TRUE;
			continue;
		}
		if (g_strcmp0(arg, "--json") == 0) {
			cli->json = TRUE;
			continue;
		}
		if (g_strcmp0(arg, "--verbose") == 0 || g_strcmp0(arg, "-v") == 0) {
			cli->verbose = TRUE;
			continue;
		}
		if (g_str_has_prefix(arg, "--port=")) {
			value = arg + strlen("--port=");
		} else if (g_strcmp0(arg, "--port") == 0) {
			if (i + 1 >= *argc) {
				g_set_error_literal(error,
						    G_OPTION_ERROR,
						    G_OPTION_ERROR_BAD_VALUE,
						    _("--port needs a path"));
				return FALSE;
			}
			value = argv[++i];
		}
		if (value != NULL) {
			g_free(cli->port);
			cli->port = g_strdup(value);
			continue;
		}
		if (g_str_has_prefix(arg, "--wire-log=")) {
			value = arg + strlen("--wire-log=");
		} else if (g_strcmp0(arg, "--wire-log") == 0) {
			if (i + 1 >= *argc) {
				g_set_error_literal(error,
						    G_OPTION_ERROR,
						    G_OPTION_ERROR_BAD_VALUE,
						    _("--wire-log needs a file name"));
				return FALSE;
			}
			value = argv[++i];
		}
		if (value != NULL) {
			g_free(cli->wire_log);
			cli->wire_log = g_strdup(value);
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	*argc = out;
	if (cli->simulate && cli->port != NULL) {
		g_set_error_literal(error,
				    G_OPTION_ERROR,
				    G_OPTION_ERROR_BAD_VALUE,
				    _("--port and --simulate cannot be used together"));
		return FALSE;
	}
	return TRUE;
}

/**
 * wf_cli_fail:
 * @cli: the CLI state
 * @error: what went wrong
 *
 * Reports an error: one plain sentence on stderr (the first line of the
 * message), and with --json also an error object on stdout.
 *
 * Returns: %WF_CLI_EXIT_ERROR
 */
int
wf_cli_fail(WfCli *cli, const GError *error)
{
	if (cli->json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "event");
		json_builder_add_string_value(builder, "error");
		json_builder_set_member_name(builder, "domain");
		json_builder_add_string_value(builder, g_quark_to_string(error->domain));
		json_builder_set_member_name(builder, "code");
		if (error->domain == WF_ERROR)
			json_builder_add_string_value(builder, wf_error_to_string(error->code));
		else
			json_builder_add_int_value(builder, error->code);
		json_builder_set_member_name(builder, "message");
		json_builder_add_string_value(builder, error->message);
		json_builder_end_object(builder);
		wf_cli_print_json_builder(cli, builder);
	}
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		g_printerr("%s\n", _("Cancelled."));
	else
		g_printerr("%s %s\n", _("Error:"), error->message);
	return WF_CLI_EXIT_ERROR;
}

int
wf_cli_usage_error(WfCli *cli, GOptionContext *context, const gchar *message)
{
	g_printerr("%s\n", message);
	if (context != NULL) {
		g_autofree gchar *help = g_option_context_get_help(context, TRUE, NULL);
		g_printerr("\n%s", help);
	}
	return WF_CLI_EXIT_USAGE;
}

void
wf_cli_print_json(WfCli *cli, JsonNode *node)
{
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autofree gchar *text = NULL;

	json_generator_set_root(generator, node);
	text = json_generator_to_data(generator, NULL);
	/* one object per line, flushed at once: consumers read progress live */
	fprintf(stdout, "%s\n", text);
	fflush(stdout);
}

void
wf_cli_print_json_builder(WfCli *cli, JsonBuilder *builder)
{
	g_autoptr(JsonNode) root = json_builder_get_root(builder);
	wf_cli_print_json(cli, root);
}

/**
 * wf_cli_parse_options:
 *
 * Parses one command's own options with GOptionContext, which also gives
 * each command its `--help`.
 *
 * Returns: %FALSE when the command must stop now, with *@exit_status set.
 */
gboolean
wf_cli_parse_options(WfCli *cli,
		     const gchar *command,
		     const gchar *parameter_string,
		     const gchar *description,
		     const GOptionEntry *entries,
		     int *argc,
		     char ***argv,
		     int *exit_status)
{
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *summary = NULL;

	context = g_option_context_new(parameter_string);
	summary = g_strdup_printf("wristflash-cli %s", command);
	g_option_context_set_summary(context, summary);
	if (description != NULL)
		g_option_context_set_description(context, description);
	if (entries != NULL)
		g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(context, argc, argv, &error)) {
		*exit_status = wf_cli_usage_error(cli, context, error->message);
		return FALSE;
	}
	return TRUE;
}

static gboolean
wf_cli_cancel_cb(gpointer user_data)
{
	WfCli *cli = user_data;
	g_cancellable_cancel(cli->cancellable);
	return G_SOURCE_CONTINUE;
}

/* Signals arrive on the main context, but commands run synchronously; a
 * small thread iterates a private context that only handles them. */
static gpointer
wf_cli_signal_thread(gpointer user_data)
{
	GMainContext *context = user_data;
	while (TRUE)
		g_main_context_iteration(context, TRUE);
	return NULL;
}

static void
wf_cli_install_signal_handlers(WfCli *cli)
{
	GMainContext *context = g_main_context_new();
	const gint signals[] = {SIGINT, SIGTERM};

	for (guint i = 0; i < G_N_ELEMENTS(signals); i++) {
		g_autoptr(GSource) source = g_unix_signal_source_new(signals[i]);
		g_source_set_callback(source, wf_cli_cancel_cb, cli, NULL);
		g_source_attach(source, context);
	}
	g_thread_unref(g_thread_new("wf-cli-signals", wf_cli_signal_thread, context));
}

static const WfCliCommand *
wf_cli_find_command(const gchar *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(wf_cli_commands); i++) {
		if (g_strcmp0(wf_cli_commands[i].name, name) == 0)
			return &wf_cli_commands[i];
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	WfCli cli = {0};
	g_autoptr(GError) error = NULL;
	const WfCliCommand *command;
	int status;

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);

	if (!wf_cli_take_global_options(&cli, &argc, argv, &error)) {
		g_printerr("%s\n", error->message);
		return WF_CLI_EXIT_USAGE;
	}
	if (cli.verbose)
		g_setenv("G_MESSAGES_DEBUG", "all", TRUE);
	if (argc < 2 || g_strcmp0(argv[1], "--help") == 0 || g_strcmp0(argv[1], "-h") == 0 ||
	    g_strcmp0(argv[1], "help") == 0) {
		wf_cli_print_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? WF_CLI_EXIT_USAGE : WF_CLI_EXIT_OK;
	}
	if (g_strcmp0(argv[1], "--version") == 0) {
		g_print("wristflash-cli %s\n", PACKAGE_VERSION);
		return WF_CLI_EXIT_OK;
	}
	command = wf_cli_find_command(argv[1]);
	if (command == NULL) {
		g_printerr(_("Unknown command “%s”."), argv[1]);
		g_printerr("\n\n");
		wf_cli_print_usage(stderr);
		return WF_CLI_EXIT_USAGE;
	}

	cli.cancellable = g_cancellable_new();
	wf_cli_install_signal_handlers(&cli);
	/* the command sees argv[0] = its own name */
	status = command->func(&cli, argc - 1, argv + 1);

	g_clear_object(&cli.cancellable);
	g_free(cli.port);
	g_free(cli.wire_log);
	return status;
}
