/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wf-host-doctor.h"

/*
 * Everything the doctor looks at is faked in a temp dir: two udev rules
 * directories (high and low priority), a process table, /dev and /sys. The
 * system bus is pointed at nothing unless a test starts its own.
 */
typedef struct {
	gchar *root;
	gchar *rules_high;
	gchar *rules_low;
	gchar *proc;
	gchar *dev;
	gchar *sys;
	int master;
	gchar *slave_path;
	WfHostDoctor *doctor;
} Fixture;

static void
write_file(const gchar *path, const gchar *contents)
{
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autoptr(GError) error = NULL;
	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	g_assert_true(g_file_set_contents(path, contents, -1, &error));
	g_assert_no_error(error);
}

static void
make_symlink(const gchar *target, const gchar *path)
{
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	g_assert_cmpint(symlink(target, path), ==, 0);
}

static void
rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = NULL;
	const gchar *name;

	if (g_file_test(path, G_FILE_TEST_IS_SYMLINK) || !g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_unlink(path);
		return;
	}
	dir = g_dir_open(path, 0, NULL);
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		rm_rf(child);
	}
	g_rmdir(path);
}

static void
fixture_add_process(Fixture *fx, const gchar *pid, const gchar *comm, const gchar *fd_target)
{
	g_autofree gchar *comm_path = g_build_filename(fx->proc, pid, "comm", NULL);
	g_autofree gchar *line = g_strdup_printf("%s\n", comm);
	g_autofree gchar *fd_dir = g_build_filename(fx->proc, pid, "fd", NULL);

	write_file(comm_path, line);
	g_assert_cmpint(g_mkdir_with_parents(fd_dir, 0755), ==, 0);
	if (fd_target != NULL) {
		g_autofree gchar *fd = g_build_filename(fd_dir, "9", NULL);
		make_symlink(fd_target, fd);
	}
}

static void
fixture_add_rule(Fixture *fx, const gchar *dir, const gchar *name, const gchar *contents)
{
	g_autofree gchar *path = g_build_filename(dir, name, NULL);
	write_file(path, contents);
}

static gchar *
shipped_rule(void)
{
	g_autofree gchar *path = g_build_filename(
		g_getenv("G_TEST_SRCDIR"), "..", "data", "70-wristflash.rules", NULL);
	g_autoptr(GError) error = NULL;
	gchar *contents = NULL;

	g_assert_true(g_file_get_contents(path, &contents, NULL, &error));
	g_assert_no_error(error);
	return contents;
}

/* a USB device with @pid behind fake /dev/ttyACM0 (the fixture's pty) */
static void
fixture_add_port(Fixture *fx, const gchar *pid)
{
	g_autofree gchar *node = g_build_filename(fx->dev, "ttyACM0", NULL);
	g_autofree gchar *usb = g_build_filename(fx->sys, "devices", "usb1", "1-1", NULL);
	g_autofree gchar *intf = g_build_filename(usb, "1-1:1.0", NULL);
	g_autofree gchar *vid_fn = g_build_filename(usb, "idVendor", NULL);
	g_autofree gchar *pid_fn = g_build_filename(usb, "idProduct", NULL);
	g_autofree gchar *link =
		g_build_filename(fx->sys, "class", "tty", "ttyACM0", "device", NULL);

	make_symlink(fx->slave_path, node);
	write_file(vid_fn, "0e8d\n");
	write_file(pid_fn, pid);
	g_assert_cmpint(g_mkdir_with_parents(intf, 0755), ==, 0);
	make_symlink(intf, link);
}

static void
fixture_set_up(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(WfPortEnumerator) enumerator = wf_port_enumerator_new();
	const gchar *dirs[3] = {NULL};

	fx->root = g_dir_make_tmp("wf-doctor-XXXXXX", &error);
	g_assert_no_error(error);
	fx->rules_high = g_build_filename(fx->root, "etc", "udev", "rules.d", NULL);
	fx->rules_low = g_build_filename(fx->root, "usr", "lib", "udev", "rules.d", NULL);
	fx->proc = g_build_filename(fx->root, "proc", NULL);
	fx->dev = g_build_filename(fx->root, "dev", NULL);
	fx->sys = g_build_filename(fx->root, "sys", NULL);
	g_assert_cmpint(g_mkdir_with_parents(fx->rules_high, 0755), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(fx->rules_low, 0755), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(fx->dev, 0755), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(fx->sys, 0755), ==, 0);
	fixture_add_process(fx, "1", "systemd", NULL);

	fx->master = posix_openpt(O_RDWR | O_NOCTTY);
	g_assert_cmpint(fx->master, >=, 0);
	g_assert_cmpint(grantpt(fx->master), ==, 0);
	g_assert_cmpint(unlockpt(fx->master), ==, 0);
	fx->slave_path = g_strdup(ptsname(fx->master));

	g_setenv("WF_PROC_DIR", fx->proc, TRUE);
	/* no system bus: the doctor falls back to the process table */
	g_setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/wf-test-bus", TRUE);

	fx->doctor = wf_host_doctor_new();
	dirs[0] = fx->rules_high;
	dirs[1] = fx->rules_low;
	wf_host_doctor_set_rules_dirs(fx->doctor, dirs);
	wf_port_enumerator_set_dev_dir(enumerator, fx->dev);
	wf_port_enumerator_set_sysfs_dir(enumerator, fx->sys);
	wf_host_doctor_set_enumerator(fx->doctor, enumerator);
}

static void
fixture_tear_down(Fixture *fx, gconstpointer user_data)
{
	g_object_unref(fx->doctor);
	close(fx->master);
	rm_rf(fx->root);
	g_free(fx->root);
	g_free(fx->rules_high);
	g_free(fx->rules_low);
	g_free(fx->proc);
	g_free(fx->dev);
	g_free(fx->sys);
	g_free(fx->slave_path);
	g_unsetenv("WF_PROC_DIR");
	g_unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
}

static WfHostCheck *
fixture_run(Fixture *fx, const gchar *id)
{
	g_autoptr(GError) error = NULL;
	WfHostCheck *check;

	g_assert_true(wf_host_doctor_run(fx->doctor, NULL, &error));
	g_assert_no_error(error);
	check = wf_host_doctor_get_check(fx->doctor, id);
	g_assert_nonnull(check);
	g_test_message(
		"%s: %s: %s", id, wf_host_check_verdict_to_string(check->verdict), check->detail);
	return check;
}

static void
test_doctor_no_rule(Fixture *fx, gconstpointer user_data)
{
	WfHostCheck *check = fixture_run(fx, "udev-rule");

	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_WARNING);
	g_assert_nonnull(strstr(check->detail, fx->rules_high));
	g_assert_nonnull(strstr(check->fix, "70-wristflash.rules"));
	g_assert_nonnull(strstr(check->fix, "udevadm control --reload"));
}

static void
test_doctor_shipped_rule(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *rule = shipped_rule();
	g_autofree gchar *expected = g_build_filename(fx->rules_low, "70-wristflash.rules", NULL);
	WfHostCheck *check;

	fixture_add_rule(fx, fx->rules_low, "70-wristflash.rules", rule);
	/* unrelated rules around it do not confuse the scan */
	fixture_add_rule(fx,
			 fx->rules_high,
			 "60-other.rules",
			 "SUBSYSTEM==\"usb\", ATTR{idVendor}==\"0e8d\", ATTR{idProduct}==\"2000\", "
			 "ENV{ID_MM_DEVICE_IGNORE}=\"1\"\n");
	fixture_add_rule(fx, fx->rules_high, "README", "0e8d 0003 ID_MM_DEVICE_IGNORE\n");
	check = fixture_run(fx, "udev-rule");
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_OK);
	g_assert_null(check->fix);
	g_assert_nonnull(strstr(check->detail, expected));
	g_assert_nonnull(strstr(check->detail, "lets you open"));
}

static void
test_doctor_masked_rule(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *rule = shipped_rule();
	g_autofree gchar *masker = g_build_filename(fx->rules_high, "70-wristflash.rules", NULL);
	WfHostCheck *check;

	fixture_add_rule(fx, fx->rules_low, "70-wristflash.rules", rule);
	fixture_add_rule(fx, fx->rules_high, "70-wristflash.rules", "# disabled\n");
	check = fixture_run(fx, "udev-rule");
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_WARNING);
	g_assert_nonnull(strstr(check->detail, masker));
	g_assert_nonnull(strstr(check->detail, "never reads it"));
}

static void
test_doctor_rule_without_mm_ignore(Fixture *fx, gconstpointer user_data)
{
	WfHostCheck *check;

	/* mtkclient-style: access, but ModemManager is not told */
	fixture_add_rule(fx,
			 fx->rules_low,
			 "52-mtk.rules",
			 "SUBSYSTEM==\"usb\", ATTR{idVendor}==\"0e8d\", ATTR{idProduct}==\"0003\", "
			 "TAG+=\"uaccess\"\n");
	/* a commented-out complete rule does not count */
	fixture_add_rule(
		fx,
		fx->rules_high,
		"90-old.rules",
		"# SUBSYSTEM==\"tty\", ATTRS{idVendor}==\"0e8d\", ATTRS{idProduct}==\"0003\", "
		"ENV{ID_MM_DEVICE_IGNORE}=\"1\"\n");
	check = fixture_run(fx, "udev-rule");
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_WARNING);
	g_assert_nonnull(strstr(check->detail, "52-mtk.rules"));
	g_assert_nonnull(strstr(check->detail, "ID_MM_DEVICE_IGNORE"));
}

static void
test_doctor_rule_continuation(Fixture *fx, gconstpointer user_data)
{
	WfHostCheck *check;

	fixture_add_rule(fx,
			 fx->rules_high,
			 "95-fernvale.rules",
			 "SUBSYSTEM==\"tty\", \\\n  ATTRS{idVendor}==\"0E8D\", \\\n"
			 "  ATTRS{idProduct}==\"0003\", ENV{ID_MM_DEVICE_IGNORE}=\"1\"\n");
	check = fixture_run(fx, "udev-rule");
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_OK);
	/* this rule gives no access: group membership matters again */
	g_assert_null(strstr(check->detail, "lets you open"));
}

static void
test_doctor_modem_manager_proc(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *rule = shipped_rule();
	WfHostCheck *check;

	check = fixture_run(fx, "modem-manager");
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_OK);

	fixture_add_process(fx, "812", "ModemManager", NULL);
	check = fixture_run(fx, "modem-manager");
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_PROBLEM);
	g_assert_nonnull(strstr(check->fix, "sudo systemctl stop ModemManager"));
	g_assert_cmpint(wf_host_doctor_get_verdict(fx->doctor), ==, WF_HOST_CHECK_VERDICT_PROBLEM);

	/* with the rule installed it should keep away: only worth knowing */
	fixture_add_rule(fx, fx->rules_low, "70-wristflash.rules", rule);
	check = fixture_run(fx, "modem-manager");
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_INFO);
}

static void
test_doctor_modem_manager_no_proc(Fixture *fx, gconstpointer user_data)
{
	WfHostCheck *check;

	g_setenv("WF_PROC_DIR", "/nonexistent/proc", TRUE);
	check = fixture_run(fx, "modem-manager");
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_INFO);
	g_assert_nonnull(strstr(check->detail, "could not tell"));
}

/* the system bus, when there is one, is the authority */
static void
test_doctor_modem_manager_bus(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GTestDBus) bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_autoptr(GDBusConnection) connection = NULL;
	g_autoptr(GError) error = NULL;
	WfHostCheck *check;
	guint owner_id;

	if (!g_file_test("/usr/bin/dbus-daemon", G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_skip("dbus-daemon is not installed");
		return;
	}
	g_test_dbus_up(bus);
	g_setenv("DBUS_SYSTEM_BUS_ADDRESS", g_test_dbus_get_bus_address(bus), TRUE);
	connection = g_dbus_connection_new_for_address_sync(
		g_test_dbus_get_bus_address(bus),
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL,
		NULL,
		&error);
	g_assert_no_error(error);

	/* a ModemManager process without its bus name is not counted */
	fixture_add_process(fx, "812", "ModemManager", NULL);
	check = fixture_run(fx, "modem-manager");
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_OK);

	owner_id = g_bus_own_name_on_connection(connection,
						"org.freedesktop.ModemManager1",
						G_BUS_NAME_OWNER_FLAGS_NONE,
						NULL,
						NULL,
						NULL,
						NULL);
	/* wait until the bus has given us the name */
	for (guint i = 0; i < 200; i++) {
		g_autoptr(GVariant) reply = NULL;
		gboolean has_owner = FALSE;
		g_main_context_iteration(NULL, FALSE);
		reply = g_dbus_connection_call_sync(
			connection,
			"org.freedesktop.DBus",
			"/org/freedesktop/DBus",
			"org.freedesktop.DBus",
			"NameHasOwner",
			g_variant_new("(s)", "org.freedesktop.ModemManager1"),
			G_VARIANT_TYPE("(b)"),
			G_DBUS_CALL_FLAGS_NONE,
			1000,
			NULL,
			NULL);
		if (reply != NULL)
			g_variant_get(reply, "(b)", &has_owner);
		if (has_owner)
			break;
		g_usleep(5000);
	}
	check = fixture_run(fx, "modem-manager");
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_PROBLEM);

	g_bus_unown_name(owner_id);
	g_dbus_connection_close_sync(connection, NULL, NULL);
	g_clear_object(&connection);
	g_test_dbus_down(bus);
}

static void
test_doctor_groups(Fixture *fx, gconstpointer user_data)
{
	WfHostCheck *check = fixture_run(fx, "groups");

	if (geteuid() != 0) {
		/* what a user gets depends on the machine; only the shape is fixed */
		g_assert_nonnull(check->detail);
		g_assert_true(check->verdict == WF_HOST_CHECK_VERDICT_OK || check->fix != NULL);
		return;
	}
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_OK);
	g_assert_nonnull(strstr(check->detail, "root"));
}

static void
test_doctor_no_port(Fixture *fx, gconstpointer user_data)
{
	WfHostCheck *check = fixture_run(fx, "boot-rom-port");

	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_INFO);
	g_assert_nonnull(strstr(check->detail, "about a second"));
	g_assert_null(strstr(check->detail, "another mode"));
}

static void
test_doctor_normal_mode_port(Fixture *fx, gconstpointer user_data)
{
	WfHostCheck *check;

	fixture_add_port(fx, "2000\n");
	check = fixture_run(fx, "boot-rom-port");
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_INFO);
	g_assert_nonnull(strstr(check->detail, "another mode (0e8d:2000)"));
}

static void
test_doctor_port_free(Fixture *fx, gconstpointer user_data)
{
	WfHostCheck *check;
	int slave;

	fixture_add_port(fx, "0003\n");
	/* held by this process only (as the app would): that is fine */
	slave = open(fx->slave_path, O_RDWR | O_NOCTTY);
	g_assert_cmpint(slave, >=, 0);
	g_setenv("WF_PROC_DIR", "/proc", TRUE);
	check = fixture_run(fx, "boot-rom-port");
	close(slave);
	if (access(fx->slave_path, R_OK | W_OK) != 0) {
		g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_PROBLEM);
		return;
	}
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_OK);
	g_assert_nonnull(strstr(check->detail, "boot-ROM mode at"));
	g_assert_nonnull(strstr(check->detail, "ttyACM0"));
}

static void
test_doctor_port_held(Fixture *fx, gconstpointer user_data)
{
	WfHostCheck *check;

	fixture_add_port(fx, "0003\n");
	fixture_add_process(fx, "4410", "minicom", fx->slave_path);
	check = fixture_run(fx, "boot-rom-port");
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_PROBLEM);
	g_assert_nonnull(strstr(check->detail, "minicom (pid 4410)"));
	g_assert_nonnull(strstr(check->fix, "close that program"));

	fixture_add_process(fx, "812", "ModemManager", fx->slave_path);
	check = fixture_run(fx, "boot-rom-port");
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_PROBLEM);
	g_assert_nonnull(strstr(check->detail, "ModemManager (pid 812)"));
	g_assert_nonnull(strstr(check->fix, "systemctl stop ModemManager"));
}

static void
test_doctor_brltty(Fixture *fx, gconstpointer user_data)
{
	WfHostCheck *check = fixture_run(fx, "brltty");

	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_OK);
	fixture_add_process(fx, "333", "brltty", NULL);
	check = fixture_run(fx, "brltty");
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_INFO);
	g_assert_nonnull(strstr(check->detail, "pid 333"));
}

static void
test_doctor_json(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;
	JsonObject *obj;
	JsonArray *checks;
	g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);

	fixture_add_process(fx, "812", "ModemManager", NULL);
	g_assert_true(wf_host_doctor_run(fx->doctor, NULL, &error));
	g_assert_no_error(error);
	node = wf_host_doctor_to_json(fx->doctor);
	obj = json_node_get_object(node);
	g_assert_cmpstr(json_object_get_string_member(obj, "verdict"), ==, "problem");
	checks = json_object_get_array_member(obj, "checks");
	g_assert_cmpuint(
		json_array_get_length(checks), ==, wf_host_doctor_get_checks(fx->doctor)->len);
	for (guint i = 0; i < json_array_get_length(checks); i++) {
		JsonObject *check = json_array_get_object_element(checks, i);
		const gchar *verdict = json_object_get_string_member(check, "verdict");
		g_hash_table_add(ids, (gpointer)json_object_get_string_member(check, "id"));
		g_assert_nonnull(json_object_get_string_member(check, "detail"));
		g_assert_true(json_object_has_member(check, "fix"));
		if (g_strcmp0(verdict, "ok") == 0)
			g_assert_true(json_object_get_null_member(check, "fix"));
		if (g_strcmp0(verdict, "problem") == 0)
			g_assert_false(json_object_get_null_member(check, "fix"));
	}
	g_assert_true(g_hash_table_contains(ids, "modem-manager"));
	g_assert_true(g_hash_table_contains(ids, "udev-rule"));
	g_assert_true(g_hash_table_contains(ids, "groups"));
	g_assert_true(g_hash_table_contains(ids, "boot-rom-port"));
	g_assert_true(g_hash_table_contains(ids, "brltty"));
}

static void
test_doctor_cancelled(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;

	g_cancellable_cancel(cancellable);
	g_assert_false(wf_host_doctor_run(fx->doctor, cancellable, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_doctor_env_rules_dirs(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *root = g_dir_make_tmp("wf-doctor-env-XXXXXX", &error);
	g_autofree gchar *a = g_build_filename(root, "a", NULL);
	g_autofree gchar *b = g_build_filename(root, "b", NULL);
	g_autofree gchar *rule = shipped_rule();
	g_autofree gchar *rule_path = g_build_filename(b, "70-wristflash.rules", NULL);
	g_autofree gchar *dirs = g_strjoin(G_SEARCHPATH_SEPARATOR_S, a, b, NULL);
	g_autoptr(WfHostDoctor) doctor = NULL;
	WfHostCheck *check;

	g_assert_no_error(error);
	write_file(rule_path, rule);
	g_setenv("WF_UDEV_RULES_DIRS", dirs, TRUE);
	g_setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/wf-test-bus", TRUE);
	doctor = wf_host_doctor_new();
	g_unsetenv("WF_UDEV_RULES_DIRS");
	g_assert_true(wf_host_doctor_run(doctor, NULL, &error));
	g_assert_no_error(error);
	check = wf_host_doctor_get_check(doctor, "udev-rule");
	g_assert_cmpint(check->verdict, ==, WF_HOST_CHECK_VERDICT_OK);
	g_assert_nonnull(strstr(check->detail, rule_path));
	g_unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
	rm_rf(root);
}

#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	ADD("/host-doctor/udev-rule/none", test_doctor_no_rule);
	ADD("/host-doctor/udev-rule/shipped", test_doctor_shipped_rule);
	ADD("/host-doctor/udev-rule/masked", test_doctor_masked_rule);
	ADD("/host-doctor/udev-rule/without-mm-ignore", test_doctor_rule_without_mm_ignore);
	ADD("/host-doctor/udev-rule/continuation", test_doctor_rule_continuation);
	ADD("/host-doctor/modem-manager/proc", test_doctor_modem_manager_proc);
	ADD("/host-doctor/modem-manager/no-proc", test_doctor_modem_manager_no_proc);
	ADD("/host-doctor/modem-manager/bus", test_doctor_modem_manager_bus);
	ADD("/host-doctor/groups", test_doctor_groups);
	ADD("/host-doctor/port/none", test_doctor_no_port);
	ADD("/host-doctor/port/normal-mode", test_doctor_normal_mode_port);
	ADD("/host-doctor/port/free", test_doctor_port_free);
	ADD("/host-doctor/port/held", test_doctor_port_held);
	ADD("/host-doctor/brltty", test_doctor_brltty);
	ADD("/host-doctor/json", test_doctor_json);
	ADD("/host-doctor/cancelled", test_doctor_cancelled);
	g_test_add_func("/host-doctor/env-rules-dirs", test_doctor_env_rules_dirs);
	return g_test_run();
}
