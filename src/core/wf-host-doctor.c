/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "wf-host-doctor.h"

#include <grp.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wf-error.h"

struct _WfHostDoctor {
	GObject parent_instance;
	gchar **rules_dirs;
	WfPortEnumerator *enumerator;
	GPtrArray *checks; /* of WfHostCheck */
};

G_DEFINE_FINAL_TYPE(WfHostDoctor, wf_host_doctor, G_TYPE_OBJECT)

/* where udev reads rules, highest priority first: a file in an earlier
 * directory hides a file of the same name in a later one */
static const gchar *const wf_host_doctor_default_rules_dirs[] = {
	"/etc/udev/rules.d",
	"/run/udev/rules.d",
	"/usr/lib/udev/rules.d",
	"/lib/udev/rules.d",
	NULL,
};

#define WF_HOST_DOCTOR_RULE_FIX                                                                    \
	"install the rule shipped with Wristflash and plug the watch in again:\n"                  \
	"  sudo install -m 0644 data/70-wristflash.rules /etc/udev/rules.d/\n"                     \
	"  sudo udevadm control --reload"

#define WF_HOST_DOCTOR_GROUP_FIX                                                                   \
	"either install the udev rule (see above), or join the serial-port group and log in "      \
	"again:\n"                                                                                 \
	"  sudo usermod -aG %s $USER"

void
wf_host_check_free(WfHostCheck *check)
{
	if (check == NULL)
		return;
	g_free(check->id);
	g_free(check->title);
	g_free(check->detail);
	g_free(check->fix);
	g_free(check);
}

/**
 * wf_host_check_verdict_to_string:
 * @verdict: a #WfHostCheckVerdict
 *
 * Returns: "ok", "info", "warning" or "problem" (stable, used in `--json`)
 */
const gchar *
wf_host_check_verdict_to_string(WfHostCheckVerdict verdict)
{
	switch (verdict) {
	case WF_HOST_CHECK_VERDICT_OK:
		return "ok";
	case WF_HOST_CHECK_VERDICT_INFO:
		return "info";
	case WF_HOST_CHECK_VERDICT_WARNING:
		return "warning";
	case WF_HOST_CHECK_VERDICT_PROBLEM:
		return "problem";
	default:
		return "unknown";
	}
}

static WfHostCheck *
wf_host_check_new(const gchar *id, const gchar *title)
{
	WfHostCheck *check = g_new0(WfHostCheck, 1);
	check->id = g_strdup(id);
	check->title = g_strdup(title);
	return check;
}

static void
wf_host_check_set(
	WfHostCheck *check, WfHostCheckVerdict verdict, const gchar *fix, const gchar *format, ...)
	G_GNUC_PRINTF(4, 5);

static void
wf_host_check_set(
	WfHostCheck *check, WfHostCheckVerdict verdict, const gchar *fix, const gchar *format, ...)
{
	va_list args;

	check->verdict = verdict;
	g_free(check->fix);
	check->fix = g_strdup(fix);
	g_free(check->detail);
	va_start(args, format);
	check->detail = g_strdup_vprintf(format, args);
	va_end(args);
}

static void
wf_host_doctor_finalize(GObject *object)
{
	WfHostDoctor *self = WF_HOST_DOCTOR(object);
	g_strfreev(self->rules_dirs);
	g_clear_object(&self->enumerator);
	g_ptr_array_unref(self->checks);
	G_OBJECT_CLASS(wf_host_doctor_parent_class)->finalize(object);
}

static void
wf_host_doctor_class_init(WfHostDoctorClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wf_host_doctor_finalize;
}

static void
wf_host_doctor_init(WfHostDoctor *self)
{
	const gchar *env = g_getenv("WF_UDEV_RULES_DIRS");

	self->checks = g_ptr_array_new_with_free_func((GDestroyNotify)wf_host_check_free);
	if (env != NULL && env[0] != '\0')
		self->rules_dirs = g_strsplit(env, G_SEARCHPATH_SEPARATOR_S, -1);
	else
		self->rules_dirs = g_strdupv((gchar **)wf_host_doctor_default_rules_dirs);
}

/**
 * wf_host_doctor_new:
 *
 * Returns: (transfer full): a new #WfHostDoctor
 */
WfHostDoctor *
wf_host_doctor_new(void)
{
	return g_object_new(WF_TYPE_HOST_DOCTOR, NULL);
}

/**
 * wf_host_doctor_set_rules_dirs:
 * @self: a #WfHostDoctor
 * @dirs: udev rules directories, highest priority first
 */
void
wf_host_doctor_set_rules_dirs(WfHostDoctor *self, const gchar *const *dirs)
{
	g_return_if_fail(WF_IS_HOST_DOCTOR(self));
	g_return_if_fail(dirs != NULL);
	g_strfreev(self->rules_dirs);
	self->rules_dirs = g_strdupv((gchar **)dirs);
}

/**
 * wf_host_doctor_set_enumerator:
 * @self: a #WfHostDoctor
 * @enumerator: the enumerator used to find a boot-ROM port
 */
void
wf_host_doctor_set_enumerator(WfHostDoctor *self, WfPortEnumerator *enumerator)
{
	g_return_if_fail(WF_IS_HOST_DOCTOR(self));
	g_return_if_fail(WF_IS_PORT_ENUMERATOR(enumerator));
	g_set_object(&self->enumerator, enumerator);
}

/**
 * wf_host_doctor_get_checks:
 * @self: a #WfHostDoctor
 *
 * Returns: (transfer none) (element-type WfHostCheck): the checks of the
 *   last run, in the order they ran
 */
GPtrArray *
wf_host_doctor_get_checks(WfHostDoctor *self)
{
	g_return_val_if_fail(WF_IS_HOST_DOCTOR(self), NULL);
	return self->checks;
}

/**
 * wf_host_doctor_get_check:
 * @self: a #WfHostDoctor
 * @id: a check id, e.g. "modem-manager"
 *
 * Returns: (transfer none) (nullable): the check, or %NULL if not run
 */
WfHostCheck *
wf_host_doctor_get_check(WfHostDoctor *self, const gchar *id)
{
	g_return_val_if_fail(WF_IS_HOST_DOCTOR(self), NULL);
	g_return_val_if_fail(id != NULL, NULL);
	for (guint i = 0; i < self->checks->len; i++) {
		WfHostCheck *check = g_ptr_array_index(self->checks, i);
		if (g_strcmp0(check->id, id) == 0)
			return check;
	}
	return NULL;
}

/**
 * wf_host_doctor_get_verdict:
 * @self: a #WfHostDoctor
 *
 * Returns: the worst verdict of the last run
 */
WfHostCheckVerdict
wf_host_doctor_get_verdict(WfHostDoctor *self)
{
	WfHostCheckVerdict verdict = WF_HOST_CHECK_VERDICT_OK;

	g_return_val_if_fail(WF_IS_HOST_DOCTOR(self), WF_HOST_CHECK_VERDICT_OK);
	for (guint i = 0; i < self->checks->len; i++) {
		WfHostCheck *check = g_ptr_array_index(self->checks, i);
		verdict = MAX(verdict, check->verdict);
	}
	return verdict;
}

/* ---- processes ---------------------------------------------------------- */

/* ---- udev rule ---------------------------------------------------------- */

typedef struct {
	gchar *path;		/* the rules file that matches the watch */
	gboolean mm_ignore;	/* it sets ID_MM_DEVICE_IGNORE */
	gboolean grants_access; /* uaccess tag or a permissive MODE */
	gchar *masked_by;	/* a same-named file of higher priority */
} WfHostDoctorRule;

static void
wf_host_doctor_rule_clear(WfHostDoctorRule *rule)
{
	g_clear_pointer(&rule->path, g_free);
	g_clear_pointer(&rule->masked_by, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(WfHostDoctorRule, wf_host_doctor_rule_clear)

/* udev continues a rule over lines ending in a backslash */
static gchar **
wf_host_doctor_rules_lines(const gchar *contents)
{
	g_autoptr(GString) joined = g_string_new(NULL);
	g_auto(GStrv) raw = g_strsplit(contents, "\n", -1);

	for (guint i = 0; raw[i] != NULL; i++) {
		gsize len = strlen(raw[i]);
		if (len > 0 && raw[i][len - 1] == '\\') {
			g_string_append_len(joined, raw[i], len - 1);
			continue;
		}
		g_string_append(joined, raw[i]);
		g_string_append_c(joined, '\n');
	}
	return g_strsplit(joined->str, "\n", -1);
}

static gboolean
wf_host_doctor_line_matches_watch(const gchar *lower)
{
	gboolean vendor =
		(strstr(lower, "idvendor") != NULL || strstr(lower, "id_vendor_id") != NULL) &&
		strstr(lower, "\"0e8d\"") != NULL;
	gboolean product =
		(strstr(lower, "idproduct") != NULL || strstr(lower, "id_model_id") != NULL) &&
		strstr(lower, "\"0003\"") != NULL;
	return vendor && product;
}

/* Looks at one file; returns TRUE if a rule in it matches 0e8d:0003, and
 * says whether any such rule sets ID_MM_DEVICE_IGNORE and grants access. */
static gboolean
wf_host_doctor_scan_rules_file(const gchar *path, gboolean *mm_ignore, gboolean *grants_access)
{
	g_autofree gchar *contents = NULL;
	g_auto(GStrv) lines = NULL;
	gboolean matched = FALSE;

	if (!g_file_get_contents(path, &contents, NULL, NULL))
		return FALSE;
	lines = wf_host_doctor_rules_lines(contents);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autofree gchar *lower = g_ascii_strdown(g_strstrip(lines[i]), -1);

		if (lower[0] == '#' || !wf_host_doctor_line_matches_watch(lower))
			continue;
		matched = TRUE;
		if (strstr(lower, "id_mm_device_ignore") != NULL)
			*mm_ignore = TRUE;
		if (strstr(lower, "uaccess") != NULL || strstr(lower, "mode=\"0666\"") != NULL ||
		    strstr(lower, "mode=\"666\"") != NULL)
			*grants_access = TRUE;
	}
	return matched;
}

static gint
wf_host_doctor_strcmp_cb(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar **)a, *(const gchar **)b);
}

static guint
wf_host_doctor_rule_score(const WfHostDoctorRule *rule)
{
	if (rule->path == NULL)
		return 0;
	return (rule->masked_by == NULL ? 4 : 1) + (rule->mm_ignore ? 2 : 0);
}

/* Finds the best rule for the watch, honouring udev's "same file name in a
 * higher-priority directory wins", so a masked rule is reported as such. */
static void
wf_host_doctor_find_rule(WfHostDoctor *self, WfHostDoctorRule *best)
{
	g_autoptr(GHashTable) winners =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	for (guint d = 0; self->rules_dirs[d] != NULL; d++) {
		g_autoptr(GDir) dir = g_dir_open(self->rules_dirs[d], 0, NULL);
		g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
		const gchar *name;

		if (dir == NULL)
			continue;
		while ((name = g_dir_read_name(dir)) != NULL) {
			if (g_str_has_suffix(name, ".rules"))
				g_ptr_array_add(names, g_strdup(name));
		}
		g_ptr_array_sort(names, wf_host_doctor_strcmp_cb);
		for (guint i = 0; i < names->len; i++) {
			const gchar *fn = g_ptr_array_index(names, i);
			g_autofree gchar *path = g_build_filename(self->rules_dirs[d], fn, NULL);
			const gchar *winner = g_hash_table_lookup(winners, fn);
			WfHostDoctorRule candidate = {0};

			if (winner == NULL)
				g_hash_table_insert(winners, g_strdup(fn), g_strdup(path));
			if (!wf_host_doctor_scan_rules_file(
				    path, &candidate.mm_ignore, &candidate.grants_access))
				continue;
			candidate.path = path;
			candidate.masked_by = (gchar *)winner;
			if (wf_host_doctor_rule_score(&candidate) <=
			    wf_host_doctor_rule_score(best))
				continue;
			wf_host_doctor_rule_clear(best);
			best->path = g_strdup(path);
			best->masked_by = g_strdup(winner);
			best->mm_ignore = candidate.mm_ignore;
			best->grants_access = candidate.grants_access;
		}
	}
}

static WfHostCheck *
wf_host_doctor_check_rule(WfHostDoctor *self, WfHostDoctorRule *rule)
{
	g_autoptr(WfHostCheck) check = wf_host_check_new("udev-rule", "udev rule for the watch");
	g_autofree gchar *dirs = g_strjoinv(", ", self->rules_dirs);

	wf_host_doctor_find_rule(self, rule);
	if (rule->path == NULL) {
		wf_host_check_set(check,
				  WF_HOST_CHECK_VERDICT_WARNING,
				  WF_HOST_DOCTOR_RULE_FIX,
				  "no udev rule for the watch (0e8d:0003) in %s: ModemManager may "
				  "probe it and only members of the serial-port group may open it",
				  dirs);
	} else if (rule->masked_by != NULL) {
		wf_host_check_set(check,
				  WF_HOST_CHECK_VERDICT_WARNING,
				  WF_HOST_DOCTOR_RULE_FIX,
				  "%s matches the watch but udev never reads it: %s has the same "
				  "name and takes precedence",
				  rule->path,
				  rule->masked_by);
		/* a masked rule does nothing */
		rule->mm_ignore = FALSE;
		rule->grants_access = FALSE;
	} else if (!rule->mm_ignore) {
		wf_host_check_set(check,
				  WF_HOST_CHECK_VERDICT_WARNING,
				  WF_HOST_DOCTOR_RULE_FIX,
				  "%s matches the watch but does not set ID_MM_DEVICE_IGNORE, so "
				  "ModemManager may still probe the port",
				  rule->path);
	} else {
		wf_host_check_set(check,
				  WF_HOST_CHECK_VERDICT_OK,
				  NULL,
				  "%s tells ModemManager to leave the watch alone%s",
				  rule->path,
				  rule->grants_access ? " and lets you open its port" : "");
	}
	return g_steal_pointer(&check);
}

/* ---- ModemManager ------------------------------------------------------- */

/* Asks the system bus whether ModemManager's name has an owner, on a private
 * connection so no bus singleton outlives the check. */
static gboolean
wf_host_doctor_bus_has_owner(const gchar *name,
			     gboolean *has_owner,
			     GCancellable *cancellable,
			     GError **error)
{
	g_autofree gchar *address = NULL;
	g_autoptr(GDBusConnection) connection = NULL;
	g_autoptr(GVariant) reply = NULL;

	address = g_dbus_address_get_for_bus_sync(G_BUS_TYPE_SYSTEM, cancellable, error);
	if (address == NULL)
		return FALSE;
	connection = g_dbus_connection_new_for_address_sync(
		address,
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL,
		cancellable,
		error);
	if (connection == NULL)
		return FALSE;
	reply = g_dbus_connection_call_sync(connection,
					    "org.freedesktop.DBus",
					    "/org/freedesktop/DBus",
					    "org.freedesktop.DBus",
					    "NameHasOwner",
					    g_variant_new("(s)", name),
					    G_VARIANT_TYPE("(b)"),
					    G_DBUS_CALL_FLAGS_NONE,
					    1000,
					    cancellable,
					    error);
	g_dbus_connection_close_sync(connection, NULL, NULL);
	if (reply == NULL)
		return FALSE;
	g_variant_get(reply, "(b)", has_owner);
	return TRUE;
}

static WfHostCheck *
wf_host_doctor_check_modem_manager(WfHostDoctorRule *rule,
				   GCancellable *cancellable,
				   GError **error)
{
	g_autoptr(WfHostCheck) check = wf_host_check_new("modem-manager", "ModemManager");
	g_autoptr(GError) error_bus = NULL;
	gboolean running = FALSE;
	gboolean proc_readable = FALSE;
	guint pid;
	const gchar *fix = "stop it for this session and install the udev rule (see above):\n"
			   "  sudo systemctl stop ModemManager";

	if (!wf_host_doctor_bus_has_owner(
		    "org.freedesktop.ModemManager1", &running, cancellable, &error_bus)) {
		if (g_error_matches(error_bus, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_propagate_error(error, g_steal_pointer(&error_bus));
			return NULL;
		}
		/* containers and minimal systems have no system bus */
		g_debug("no system bus: %s", error_bus->message);
		pid = wf_port_info_find_process("ModemManager", &proc_readable);
		if (!proc_readable) {
			wf_host_check_set(check,
					  WF_HOST_CHECK_VERDICT_INFO,
					  NULL,
					  "could not tell: no system bus (%s) and no process list",
					  error_bus->message);
			return g_steal_pointer(&check);
		}
		running = pid != 0;
	}
	if (!running) {
		wf_host_check_set(
			check, WF_HOST_CHECK_VERDICT_OK, NULL, "ModemManager is not running");
	} else if (rule->mm_ignore) {
		wf_host_check_set(check,
				  WF_HOST_CHECK_VERDICT_INFO,
				  "if the handshake still fails, stop it for this session:\n"
				  "  sudo systemctl stop ModemManager",
				  "ModemManager is running; the udev rule tells it to leave the "
				  "watch alone");
	} else {
		wf_host_check_set(check,
				  WF_HOST_CHECK_VERDICT_PROBLEM,
				  fix,
				  "ModemManager is running and will probe the watch's port with AT "
				  "commands, which breaks the boot-ROM handshake");
	}
	return g_steal_pointer(&check);
}

/* ---- groups ------------------------------------------------------------- */

static gboolean
wf_host_doctor_in_group(gid_t gid)
{
	gid_t groups[NGROUPS_MAX];
	int n = getgroups(G_N_ELEMENTS(groups), groups);

	if (getegid() == gid)
		return TRUE;
	for (int i = 0; i < n; i++) {
		if (groups[i] == gid)
			return TRUE;
	}
	return FALSE;
}

static gboolean
wf_host_doctor_group_lists_user(const struct group *gr, const gchar *user)
{
	for (guint i = 0; gr->gr_mem != NULL && gr->gr_mem[i] != NULL; i++) {
		if (g_strcmp0(gr->gr_mem[i], user) == 0)
			return TRUE;
	}
	return FALSE;
}

static WfHostCheck *
wf_host_doctor_check_groups(WfHostDoctorRule *rule)
{
	g_autoptr(WfHostCheck) check = wf_host_check_new("groups", "serial-port group");
	const gchar *candidates[] = {"dialout", "uucp"}; /* Debian/Fedora, Arch */
	const gchar *user = g_get_user_name();
	const gchar *group_name = NULL;
	g_autofree gchar *fix = NULL;

	if (geteuid() == 0) {
		wf_host_check_set(check,
				  WF_HOST_CHECK_VERDICT_OK,
				  NULL,
				  "running as root: every port is open to you");
		return g_steal_pointer(&check);
	}
	for (guint i = 0; i < G_N_ELEMENTS(candidates); i++) {
		struct group *gr = getgrnam(candidates[i]);
		if (gr == NULL)
			continue;
		if (group_name == NULL)
			group_name = candidates[i];
		if (wf_host_doctor_in_group(gr->gr_gid)) {
			wf_host_check_set(check,
					  WF_HOST_CHECK_VERDICT_OK,
					  NULL,
					  "you are in group %s",
					  candidates[i]);
			return g_steal_pointer(&check);
		}
		if (wf_host_doctor_group_lists_user(gr, user)) {
			wf_host_check_set(
				check,
				WF_HOST_CHECK_VERDICT_WARNING,
				"log out and back in (or run `newgrp` in this terminal)",
				"you were added to group %s, but this login session started "
				"before that",
				candidates[i]);
			return g_steal_pointer(&check);
		}
	}
	if (group_name == NULL)
		group_name = "dialout";
	if (rule->grants_access) {
		wf_host_check_set(
			check,
			WF_HOST_CHECK_VERDICT_OK,
			NULL,
			"you are not in group %s, and need not be: the udev rule lets the "
			"logged-in user open the watch's port",
			group_name);
		return g_steal_pointer(&check);
	}
	fix = g_strdup_printf(WF_HOST_DOCTOR_GROUP_FIX, group_name);
	wf_host_check_set(check,
			  WF_HOST_CHECK_VERDICT_PROBLEM,
			  fix,
			  "you are not in group %s and no udev rule grants you the watch's port: "
			  "opening it will fail with \"permission denied\"",
			  group_name);
	return g_steal_pointer(&check);
}

/* ---- the boot-ROM port -------------------------------------------------- */

static gchar *
wf_host_doctor_describe_node(const gchar *path)
{
	struct stat st;
	struct group *gr;
	g_autofree gchar *group = NULL;

	if (stat(path, &st) != 0)
		return g_strdup("gone");
	gr = getgrgid(st.st_gid);
	group = gr != NULL ? g_strdup(gr->gr_name) : g_strdup_printf("%u", (guint)st.st_gid);
	return g_strdup_printf("mode %04o, group %s", (guint)(st.st_mode & 07777), group);
}

static gchar *
wf_host_doctor_other_holders(WfPortInfo *info, gboolean *modem_manager)
{
	GPtrArray *holders = wf_port_info_get_holders(info);
	g_autoptr(GString) str = g_string_new(NULL);
	guint count = 0;

	*modem_manager = FALSE;
	for (guint i = 0; i < holders->len; i++) {
		WfPortHolder *holder = g_ptr_array_index(holders, i);
		/* the app itself may be the one holding it */
		if (holder->pid == (guint)getpid())
			continue;
		if (holder->is_modem_manager)
			*modem_manager = TRUE;
		if (str->len > 0)
			g_string_append(str, ", ");
		g_string_append_printf(str, "%s (pid %u)", holder->name, holder->pid);
		count++;
	}
	if (count == 0)
		return NULL;
	/* the verb follows in the caller's sentence */
	g_string_append(str, count == 1 ? " has" : " have");
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static void
wf_host_doctor_check_one_port(WfHostCheck *check, WfPortInfo *info, WfHostDoctorRule *rule)
{
	const gchar *path = wf_port_info_get_path(info);
	g_autofree gchar *node = wf_host_doctor_describe_node(path);
	g_autofree gchar *holders = NULL;
	gboolean modem_manager = FALSE;

	holders = wf_host_doctor_other_holders(info, &modem_manager);
	if (access(path, R_OK | W_OK) != 0) {
		wf_host_check_set(
			check,
			WF_HOST_CHECK_VERDICT_PROBLEM,
			rule->path == NULL ? WF_HOST_DOCTOR_RULE_FIX
					   : "join the group that owns the port and "
					     "log in again, or reinstall the udev rule "
					     "and plug the watch in again",
			"the watch is in boot-ROM mode at %s (%s), but you may not open it",
			path,
			node);
	} else if (modem_manager) {
		wf_host_check_set(check,
				  WF_HOST_CHECK_VERDICT_PROBLEM,
				  "sudo systemctl stop ModemManager, then plug the watch in again; "
				  "the udev rule stops this for good",
				  "the watch is in boot-ROM mode at %s, but %s it open and its AT "
				  "commands break the handshake",
				  path,
				  holders);
	} else if (holders != NULL) {
		wf_host_check_set(check,
				  WF_HOST_CHECK_VERDICT_PROBLEM,
				  "close that program, then plug the watch in again",
				  "the watch is in boot-ROM mode at %s, but %s it open",
				  path,
				  holders);
	} else {
		wf_host_check_set(
			check,
			WF_HOST_CHECK_VERDICT_OK,
			NULL,
			"the watch is in boot-ROM mode at %s (%s); nobody else has it open "
			"and you may open it",
			path,
			node);
	}
}

static WfHostCheck *
wf_host_doctor_check_port(WfHostDoctor *self, WfHostDoctorRule *rule, GError **error)
{
	g_autoptr(WfHostCheck) check = wf_host_check_new("boot-rom-port", "watch in boot-ROM mode");
	g_autoptr(GPtrArray) ports = NULL;
	g_autoptr(GString) others = g_string_new(NULL);

	if (self->enumerator == NULL)
		self->enumerator = wf_port_enumerator_new();
	ports = wf_port_enumerator_list(self->enumerator, error);
	if (ports == NULL)
		return NULL;
	for (guint i = 0; i < ports->len; i++) {
		WfPortInfo *info = g_ptr_array_index(ports, i);
		/* the enumerator sorts boot-ROM ports first */
		if (wf_port_info_is_boot_rom(info)) {
			wf_host_doctor_check_one_port(check, info, rule);
			return g_steal_pointer(&check);
		}
		if (wf_port_info_has_usb_ids(info) &&
		    wf_port_info_get_vid(info) == WF_PORT_BOOT_ROM_VID) {
			g_string_append_printf(
				others,
				"; %s is a MediaTek port in another mode (0e8d:%04x)",
				wf_port_info_get_path(info),
				wf_port_info_get_pid(info));
		}
	}
	wf_host_check_set(check,
			  WF_HOST_CHECK_VERDICT_INFO,
			  "switch the watch off, start Wristflash waiting, then plug the watch in",
			  "no watch in boot-ROM mode is connected now, which is normal: its port "
			  "exists for only about a second after the switched-off watch is plugged "
			  "in%s",
			  others->str);
	return g_steal_pointer(&check);
}

/* ---- brltty ------------------------------------------------------------- */

static WfHostCheck *
wf_host_doctor_check_brltty(void)
{
	g_autoptr(WfHostCheck) check = wf_host_check_new("brltty", "brltty");
	guint pid = wf_port_info_find_process("brltty", NULL);

	if (pid == 0) {
		wf_host_check_set(check, WF_HOST_CHECK_VERDICT_OK, NULL, "brltty is not running");
		return g_steal_pointer(&check);
	}
	wf_host_check_set(check,
			  WF_HOST_CHECK_VERDICT_INFO,
			  "if you flash through such an adapter and do not use a braille display:\n"
			  "  sudo systemctl stop brltty-udev.service brltty.service",
			  "brltty (pid %u) is running; it grabs some USB-serial adapters (CH340, "
			  "CP210x), which matters only when flashing through a UART adapter",
			  pid);
	return g_steal_pointer(&check);
}

/**
 * wf_host_doctor_run:
 * @self: a #WfHostDoctor
 * @cancellable: (nullable): a #GCancellable
 * @error: (nullable): return location for a #GError
 *
 * Runs every check, replacing the results of any earlier run. A failing
 * check is a verdict, not an error; errors are for cancellation and bugs.
 *
 * Returns: %TRUE if the checks ran
 */
gboolean
wf_host_doctor_run(WfHostDoctor *self, GCancellable *cancellable, GError **error)
{
	g_auto(WfHostDoctorRule) rule = {0};
	WfHostCheck *check;

	g_return_val_if_fail(WF_IS_HOST_DOCTOR(self), FALSE);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	g_ptr_array_set_size(self->checks, 0);
	g_ptr_array_add(self->checks, wf_host_doctor_check_rule(self, &rule));
	check = wf_host_doctor_check_modem_manager(&rule, cancellable, error);
	if (check == NULL)
		return FALSE;
	g_ptr_array_add(self->checks, check);
	g_ptr_array_add(self->checks, wf_host_doctor_check_groups(&rule));
	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return FALSE;
	check = wf_host_doctor_check_port(self, &rule, error);
	if (check == NULL)
		return FALSE;
	g_ptr_array_add(self->checks, check);
	g_ptr_array_add(self->checks, wf_host_doctor_check_brltty());
	return TRUE;
}

/**
 * wf_host_doctor_to_json:
 * @self: a #WfHostDoctor
 *
 * Returns: (transfer full): `{"verdict": "...", "checks": [{"id", "title",
 *   "verdict", "detail", "fix"}]}`; fix is null when there is nothing to do
 */
JsonNode *
wf_host_doctor_to_json(WfHostDoctor *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();

	g_return_val_if_fail(WF_IS_HOST_DOCTOR(self), NULL);

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "verdict");
	json_builder_add_string_value(
		builder, wf_host_check_verdict_to_string(wf_host_doctor_get_verdict(self)));
	json_builder_set_member_name(builder, "checks");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->checks->len; i++) {
		WfHostCheck *check = g_ptr_array_index(self->checks, i);
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "id");
		json_builder_add_string_value(builder, check->id);
		json_builder_set_member_name(builder, "title");
		json_builder_add_string_value(builder, check->title);
		json_builder_set_member_name(builder, "verdict");
		json_builder_add_string_value(builder,
					      wf_host_check_verdict_to_string(check->verdict));
		json_builder_set_member_name(builder, "detail");
		json_builder_add_string_value(builder, check->detail);
		json_builder_set_member_name(builder, "fix");
		if (check->fix != NULL)
			json_builder_add_string_value(builder, check->fix);
		else
			json_builder_add_null_value(builder);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}
