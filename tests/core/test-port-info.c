/*
 * Copyright 2026 The Wristflash developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "wf-error.h"
#include "wf-port-info.h"

/* a pty pair; the slave path is what a port path would be */
typedef struct {
	int master;
	int slave;
	gchar *slave_path;
} TestPty;

static void
test_pty_open(TestPty *pty)
{
	pty->master = posix_openpt(O_RDWR | O_NOCTTY);
	g_assert_cmpint(pty->master, >=, 0);
	g_assert_cmpint(grantpt(pty->master), ==, 0);
	g_assert_cmpint(unlockpt(pty->master), ==, 0);
	pty->slave_path = g_strdup(ptsname(pty->master));
	pty->slave = open(pty->slave_path, O_RDWR | O_NOCTTY);
	g_assert_cmpint(pty->slave, >=, 0);
}

static void
test_pty_close(TestPty *pty)
{
	if (pty->slave >= 0)
		close(pty->slave);
	close(pty->master);
	g_free(pty->slave_path);
}

static gchar *
test_own_comm(void)
{
	gchar *comm = NULL;
	g_assert_true(g_file_get_contents("/proc/self/comm", &comm, NULL, NULL));
	g_strchomp(comm);
	return comm;
}

static WfPortHolder *
test_find_holder(WfPortInfo *info, guint pid)
{
	GPtrArray *holders = wf_port_info_get_holders(info);
	for (guint i = 0; i < holders->len; i++) {
		WfPortHolder *holder = g_ptr_array_index(holders, i);
		if (holder->pid == pid)
			return holder;
	}
	return NULL;
}

/* a pty this process holds open must show this process as a holder, and
 * stop doing so once it is closed */
static void
test_port_info_holders_real_pty(void)
{
	TestPty pty = {0};
	g_autoptr(WfPortInfo) info = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *comm = test_own_comm();
	WfPortHolder *holder;

	g_unsetenv("WF_PROC_DIR");
	test_pty_open(&pty);
	info = wf_port_info_new(pty.slave_path);
	g_assert_true(wf_port_info_refresh_holders(info, &error));
	g_assert_no_error(error);
	holder = test_find_holder(info, (guint)getpid());
	g_assert_nonnull(holder);
	g_assert_cmpstr(holder->name, ==, comm);
	g_assert_false(holder->is_modem_manager);
	g_assert_false(wf_port_info_is_held_by_modem_manager(info));

	close(pty.slave);
	pty.slave = -1;
	g_assert_true(wf_port_info_refresh_holders(info, &error));
	g_assert_no_error(error);
	g_assert_null(test_find_holder(info, (guint)getpid()));
	test_pty_close(&pty);
}

static void
test_write_file(const gchar *dir, const gchar *name, const gchar *contents)
{
	g_autofree gchar *fn = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;
	g_assert_true(g_file_set_contents(fn, contents, -1, &error));
	g_assert_no_error(error);
}

static void
test_fake_process(const gchar *proc_dir,
		  const gchar *pid,
		  const gchar *comm,
		  const gchar *const *fd_targets)
{
	g_autofree gchar *pid_dir = g_build_filename(proc_dir, pid, NULL);
	g_autofree gchar *fd_dir = g_build_filename(pid_dir, "fd", NULL);

	g_assert_cmpint(g_mkdir_with_parents(fd_dir, 0755), ==, 0);
	if (comm != NULL) {
		g_autofree gchar *line = g_strdup_printf("%s\n", comm);
		test_write_file(pid_dir, "comm", line);
	}
	for (guint i = 0; fd_targets != NULL && fd_targets[i] != NULL; i++) {
		g_autofree gchar *fd_name = g_strdup_printf("%u", i + 3);
		g_autofree gchar *link = g_build_filename(fd_dir, fd_name, NULL);
		g_assert_cmpint(symlink(fd_targets[i], link), ==, 0);
	}
}

static gchar *
test_make_fake_proc(void)
{
	g_autoptr(GError) error = NULL;
	gchar *tmp = g_dir_make_tmp("wf-proc-XXXXXX", &error);
	const gchar *mm_fds[] = {"socket:[1234]", "/dev/ttyACM0", "/dev/null", NULL};
	const gchar *minicom_fds[] = {"/dev/ttyACM1", "pipe:[99]", NULL};
	const gchar *bash_fds[] = {"/dev/pts/0", NULL};
	g_autofree gchar *self_dir = NULL;
	g_autofree gchar *self_link = NULL;
	g_autofree gchar *nofd_dir = NULL;

	g_assert_no_error(error);
	test_fake_process(tmp, "812", "ModemManager", mm_fds);
	test_fake_process(tmp, "4410", "minicom", minicom_fds);
	test_fake_process(tmp, "77", "bash", bash_fds);
	/* a process with no readable comm still counts, named "?" */
	test_fake_process(tmp, "90", NULL, (const gchar *[]){"/dev/ttyACM1", NULL});
	/* not processes: must be ignored */
	self_dir = g_build_filename(tmp, "self", "fd", NULL);
	g_assert_cmpint(g_mkdir_with_parents(self_dir, 0755), ==, 0);
	self_link = g_build_filename(self_dir, "0", NULL);
	g_assert_cmpint(symlink("/dev/ttyACM0", self_link), ==, 0);
	nofd_dir = g_build_filename(tmp, "123", NULL);
	g_assert_cmpint(g_mkdir_with_parents(nofd_dir, 0755), ==, 0);
	return tmp;
}

static void
test_rm_rf(const gchar *path)
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
		test_rm_rf(child);
	}
	g_rmdir(path);
}

static void
test_port_info_holders_fake_proc(void)
{
	g_autofree gchar *proc = test_make_fake_proc();
	g_autoptr(WfPortInfo) acm0 = wf_port_info_new("/dev/ttyACM0");
	g_autoptr(WfPortInfo) acm1 = wf_port_info_new("/dev/ttyACM1");
	g_autoptr(WfPortInfo) acm2 = wf_port_info_new("/dev/ttyACM2");
	g_autoptr(GPtrArray) infos = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *desc0 = NULL;
	g_autofree gchar *desc2 = NULL;
	WfPortHolder *holder;

	g_setenv("WF_PROC_DIR", proc, TRUE);
	g_assert_cmpstr(wf_port_info_get_proc_dir(), ==, proc);
	g_ptr_array_add(infos, acm0);
	g_ptr_array_add(infos, acm1);
	g_ptr_array_add(infos, acm2);

	/* a stale holder from before must be replaced, not kept */
	wf_port_info_add_holder(acm2, 1, "stale");
	g_assert_true(wf_port_info_find_holders(infos, &error));
	g_assert_no_error(error);

	g_assert_cmpuint(wf_port_info_get_holders(acm0)->len, ==, 1);
	holder = test_find_holder(acm0, 812);
	g_assert_nonnull(holder);
	g_assert_cmpstr(holder->name, ==, "ModemManager");
	g_assert_true(holder->is_modem_manager);
	g_assert_true(wf_port_info_is_held_by_modem_manager(acm0));
	desc0 = wf_port_info_describe_holders(acm0);
	g_assert_cmpstr(desc0, ==, "ModemManager (pid 812)");

	g_assert_cmpuint(wf_port_info_get_holders(acm1)->len, ==, 2);
	g_assert_cmpstr(test_find_holder(acm1, 4410)->name, ==, "minicom");
	g_assert_cmpstr(test_find_holder(acm1, 90)->name, ==, "?");
	g_assert_false(wf_port_info_is_held_by_modem_manager(acm1));

	g_assert_cmpuint(wf_port_info_get_holders(acm2)->len, ==, 0);
	desc2 = wf_port_info_describe_holders(acm2);
	g_assert_null(desc2);

	g_unsetenv("WF_PROC_DIR");
	test_rm_rf(proc);
}

static void
test_port_info_find_process(void)
{
	g_autofree gchar *proc = test_make_fake_proc();
	gboolean readable = FALSE;

	g_setenv("WF_PROC_DIR", proc, TRUE);
	g_assert_cmpuint(wf_port_info_find_process("ModemManager", &readable), ==, 812);
	g_assert_true(readable);
	g_assert_cmpuint(wf_port_info_find_process("minicom", NULL), ==, 4410);
	g_assert_cmpuint(wf_port_info_find_process("brltty", &readable), ==, 0);
	g_assert_true(readable);
	g_setenv("WF_PROC_DIR", "/nonexistent/proc", TRUE);
	g_assert_cmpuint(wf_port_info_find_process("ModemManager", &readable), ==, 0);
	g_assert_false(readable);
	g_unsetenv("WF_PROC_DIR");
	test_rm_rf(proc);
}

static void
test_port_info_no_proc(void)
{
	g_autoptr(WfPortInfo) info = wf_port_info_new("/dev/ttyACM0");
	g_autoptr(GError) error = NULL;

	g_setenv("WF_PROC_DIR", "/nonexistent/proc", TRUE);
	g_assert_false(wf_port_info_refresh_holders(info, &error));
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
	g_unsetenv("WF_PROC_DIR");
}

static void
test_port_info_boot_rom(void)
{
	g_autoptr(WfPortInfo) info = wf_port_info_new("/dev/ttyACM0");

	g_assert_false(wf_port_info_has_usb_ids(info));
	g_assert_false(wf_port_info_is_boot_rom(info));
	wf_port_info_set_usb_ids(info, 0x0e8d, 0x2000);
	g_assert_false(wf_port_info_is_boot_rom(info));
	wf_port_info_set_usb_ids(info, 0x1a86, 0x0003);
	g_assert_false(wf_port_info_is_boot_rom(info));
	wf_port_info_set_usb_ids(info, 0x0e8d, 0x0003);
	g_assert_true(wf_port_info_is_boot_rom(info));
	g_assert_cmpuint(wf_port_info_get_vid(info), ==, 0x0e8d);
	g_assert_cmpuint(wf_port_info_get_pid(info), ==, 0x0003);
}

static void
test_port_info_equal(void)
{
	g_autoptr(WfPortInfo) a = wf_port_info_new("/dev/ttyACM0");
	g_autoptr(WfPortInfo) b = wf_port_info_new("/dev/ttyACM0");
	g_autoptr(WfPortInfo) c = wf_port_info_new("/dev/ttyACM1");

	wf_port_info_set_usb_ids(a, 0x0e8d, 0x0003);
	wf_port_info_set_usb_ids(b, 0x0e8d, 0x0003);
	wf_port_info_add_holder(b, 42, "minicom");
	wf_port_info_set_description(b, "something else");
	g_assert_true(wf_port_info_equal(a, b));
	wf_port_info_set_usb_ids(c, 0x0e8d, 0x0003);
	g_assert_false(wf_port_info_equal(a, c));
	wf_port_info_set_usb_ids(b, 0x0e8d, 0x2000);
	g_assert_false(wf_port_info_equal(a, b));
	wf_port_info_set_usb_ids(b, 0x0e8d, 0x0003);
	wf_port_info_set_serial(b, "123");
	g_assert_false(wf_port_info_equal(a, b));
}

static void
test_port_info_json(void)
{
	g_autoptr(WfPortInfo) info = wf_port_info_new("/dev/ttyACM3");
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *str = NULL;
	JsonObject *obj;
	JsonArray *holders;
	JsonObject *holder;

	wf_port_info_set_usb_ids(info, 0x0e8d, 0x0003);
	wf_port_info_set_driver(info, "cdc_acm");
	wf_port_info_set_by_id_path(info, "/dev/serial/by-id/usb-x-if00");
	wf_port_info_add_holder(info, 812, "ModemManager");
	wf_port_info_add_holder(info, 812, "ModemManager"); /* same pid: once */

	node = wf_port_info_to_json(info);
	obj = json_node_get_object(node);
	g_assert_cmpstr(json_object_get_string_member(obj, "path"), ==, "/dev/ttyACM3");
	g_assert_cmpstr(json_object_get_string_member(obj, "vid"), ==, "0e8d");
	g_assert_cmpstr(json_object_get_string_member(obj, "pid"), ==, "0003");
	g_assert_true(json_object_get_boolean_member(obj, "boot_rom"));
	g_assert_cmpstr(json_object_get_string_member(obj, "driver"), ==, "cdc_acm");
	g_assert_cmpstr(json_object_get_string_member(obj, "by_id_path"),
			==,
			"/dev/serial/by-id/usb-x-if00");
	g_assert_true(json_object_get_null_member(obj, "serial"));
	holders = json_object_get_array_member(obj, "holders");
	g_assert_cmpuint(json_array_get_length(holders), ==, 1);
	holder = json_array_get_object_element(holders, 0);
	g_assert_cmpint(json_object_get_int_member(holder, "pid"), ==, 812);
	g_assert_true(json_object_get_boolean_member(holder, "modem_manager"));

	str = wf_port_info_to_string(info);
	g_assert_cmpstr(str,
			==,
			"/dev/ttyACM3 0e8d:0003 (MediaTek boot ROM) cdc_acm, open in ModemManager "
			"(pid 812)");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/port-info/holders/real-pty", test_port_info_holders_real_pty);
	g_test_add_func("/port-info/holders/fake-proc", test_port_info_holders_fake_proc);
	g_test_add_func("/port-info/holders/no-proc", test_port_info_no_proc);
	g_test_add_func("/port-info/find-process", test_port_info_find_process);
	g_test_add_func("/port-info/boot-rom", test_port_info_boot_rom);
	g_test_add_func("/port-info/equal", test_port_info_equal);
	g_test_add_func("/port-info/json", test_port_info_json);
	return g_test_run();
}
