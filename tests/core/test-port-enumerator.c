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

#include "wf-error.h"
#include "wf-port-enumerator.h"

/*
 * A fake /dev and /sys: /dev entries are symlinks to real pty slaves (so the
 * holder scan sees them), /sys mimics the kernel's layout for a cdc_acm port
 * (tty → interface → USB device) and a usb-serial port (tty → port →
 * interface → USB device).
 */
typedef struct {
	gchar *root;
	gchar *dev;
	gchar *sys;
	int masters[5];
	int slaves[5];
	gchar *slave_paths[5];
} FakeTree;

static void
fake_mkdir(const gchar *root, const gchar *rel)
{
	g_autofree gchar *path = g_build_filename(root, rel, NULL);
	g_assert_cmpint(g_mkdir_with_parents(path, 0755), ==, 0);
}

static void
fake_symlink(const gchar *root, const gchar *rel, const gchar *target)
{
	g_autofree gchar *path = g_build_filename(root, rel, NULL);
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	g_assert_cmpint(symlink(target, path), ==, 0);
}

static void
fake_write(const gchar *root, const gchar *rel, const gchar *contents)
{
	g_autofree gchar *path = g_build_filename(root, rel, NULL);
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autoptr(GError) error = NULL;
	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	g_assert_true(g_file_set_contents(path, contents, -1, &error));
	g_assert_no_error(error);
}

static void
fake_usb_device(const gchar *sys,
		const gchar *usb_dir,
		const gchar *vid,
		const gchar *pid,
		const gchar *product,
		const gchar *serial)
{
	g_autofree gchar *fn_vid = g_build_filename(usb_dir, "idVendor", NULL);
	g_autofree gchar *fn_pid = g_build_filename(usb_dir, "idProduct", NULL);
	g_autofree gchar *line_vid = g_strdup_printf("%s\n", vid);
	g_autofree gchar *line_pid = g_strdup_printf("%s\n", pid);

	fake_write(sys, fn_vid, line_vid);
	fake_write(sys, fn_pid, line_pid);
	if (product != NULL) {
		g_autofree gchar *fn = g_build_filename(usb_dir, "product", NULL);
		fake_write(sys, fn, product);
	}
	if (serial != NULL) {
		g_autofree gchar *fn = g_build_filename(usb_dir, "serial", NULL);
		fake_write(sys, fn, serial);
	}
}

static void
fake_tree_init(FakeTree *tree)
{
	g_autoptr(GError) error = NULL;

	tree->root = g_dir_make_tmp("wf-enum-XXXXXX", &error);
	g_assert_no_error(error);
	tree->dev = g_build_filename(tree->root, "dev", NULL);
	tree->sys = g_build_filename(tree->root, "sys", NULL);
	fake_mkdir(tree->root, "dev");
	fake_mkdir(tree->root, "sys/bus/usb/drivers/cdc_acm");
	fake_mkdir(tree->root, "sys/bus/usb/drivers/ch341");
	fake_mkdir(tree->root, "sys/bus/usb-serial/drivers/generic");

	for (guint i = 0; i < G_N_ELEMENTS(tree->masters); i++) {
		tree->masters[i] = posix_openpt(O_RDWR | O_NOCTTY);
		g_assert_cmpint(tree->masters[i], >=, 0);
		g_assert_cmpint(grantpt(tree->masters[i]), ==, 0);
		g_assert_cmpint(unlockpt(tree->masters[i]), ==, 0);
		tree->slave_paths[i] = g_strdup(ptsname(tree->masters[i]));
		tree->slaves[i] = open(tree->slave_paths[i], O_RDWR | O_NOCTTY);
		g_assert_cmpint(tree->slaves[i], >=, 0);
	}

	/* ttyACM1: the boot ROM, cdc_acm, no USB strings, with a by-id link */
	fake_symlink(tree->dev, "ttyACM1", tree->slave_paths[0]);
	fake_symlink(tree->dev, "serial/by-id/usb-0e8d_0003-if00", "../../ttyACM1");
	fake_usb_device(
		tree->sys, "devices/pci0000:00/0000:00:14.0/usb1/1-2", "0e8d", "0003", NULL, NULL);
	fake_symlink(tree->sys,
		     "devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/driver",
		     "../../../../../../bus/usb/drivers/cdc_acm");
	fake_symlink(tree->sys,
		     "class/tty/ttyACM1/device",
		     "../../../devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0");

	/* ttyACM0: some other USB serial adapter */
	fake_symlink(tree->dev, "ttyACM0", tree->slave_paths[1]);
	fake_usb_device(tree->sys,
			"devices/pci0000:00/0000:00:14.0/usb1/1-3",
			"1a86",
			"7523",
			"USB Serial\n",
			"ABC123\n");
	fake_symlink(tree->sys,
		     "devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/driver",
		     "../../../../../../bus/usb/drivers/ch341");
	fake_symlink(tree->sys,
		     "class/tty/ttyACM0/device",
		     "../../../devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0");

	/* ttyUSB0: a MediaTek preloader bound to usbserial generic */
	fake_symlink(tree->dev, "ttyUSB0", tree->slave_paths[2]);
	fake_usb_device(
		tree->sys, "devices/pci0000:00/0000:00:14.0/usb1/1-4", "0e8d", "2000", NULL, NULL);
	fake_symlink(tree->sys,
		     "devices/pci0000:00/0000:00:14.0/usb1/1-4/1-4:1.0/ttyUSB0/driver",
		     "../../../../../../../bus/usb-serial/drivers/generic");
	fake_symlink(tree->sys,
		     "class/tty/ttyUSB0/device",
		     "../../../devices/pci0000:00/0000:00:14.0/usb1/1-4/1-4:1.0/ttyUSB0");

	/* ttyACM2, ttyACM10: no sysfs entry at all; sorted naturally */
	fake_symlink(tree->dev, "ttyACM10", tree->slave_paths[4]);
	fake_symlink(tree->dev, "ttyACM2", tree->slave_paths[3]);

	/* not listed: a second name for a listed port, a dangling node, and
	 * names a watch never gets */
	fake_symlink(tree->dev, "ttyUSB5", tree->slave_paths[4]);
	fake_symlink(tree->dev, "ttyACM9", "/nonexistent/pts/99");
	fake_symlink(tree->dev, "ttyS0", tree->slave_paths[3]);
	fake_write(tree->dev, "null", "");
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
fake_tree_clear(FakeTree *tree)
{
	for (guint i = 0; i < G_N_ELEMENTS(tree->masters); i++) {
		close(tree->slaves[i]);
		close(tree->masters[i]);
		g_free(tree->slave_paths[i]);
	}
	test_rm_rf(tree->root);
	g_free(tree->root);
	g_free(tree->dev);
	g_free(tree->sys);
}

static gboolean
info_has_holder(WfPortInfo *info, guint pid)
{
	GPtrArray *holders = wf_port_info_get_holders(info);
	for (guint i = 0; i < holders->len; i++) {
		WfPortHolder *holder = g_ptr_array_index(holders, i);
		if (holder->pid == pid)
			return TRUE;
	}
	return FALSE;
}

static const gchar *
info_basename(WfPortInfo *info)
{
	const gchar *path = wf_port_info_get_path(info);
	const gchar *slash = strrchr(path, '/');
	return slash != NULL ? slash + 1 : path;
}

static void
test_port_enumerator_fake_tree(void)
{
	FakeTree tree = {0};
	g_autoptr(WfPortEnumerator) enumerator = NULL;
	g_autoptr(GPtrArray) ports = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *by_id = NULL;
	WfPortInfo *info;

	g_unsetenv("WF_PROC_DIR");
	fake_tree_init(&tree);
	g_setenv("WF_DEV_DIR", tree.dev, TRUE);
	g_setenv("WF_SYSFS_DIR", tree.sys, TRUE);
	enumerator = wf_port_enumerator_new();
	g_unsetenv("WF_DEV_DIR");
	g_unsetenv("WF_SYSFS_DIR");
	g_assert_cmpstr(wf_port_enumerator_get_dev_dir(enumerator), ==, tree.dev);

	ports = wf_port_enumerator_list(enumerator, &error);
	g_assert_no_error(error);
	g_assert_nonnull(ports);
	for (guint i = 0; i < ports->len; i++) {
		g_autofree gchar *str = wf_port_info_to_string(g_ptr_array_index(ports, i));
		g_test_message("port %u: %s", i, str);
	}
	g_assert_cmpuint(ports->len, ==, 5);

	/* the boot ROM first, then the other MediaTek port, then the rest */
	info = g_ptr_array_index(ports, 0);
	g_assert_cmpstr(info_basename(info), ==, "ttyACM1");
	g_assert_true(wf_port_info_is_boot_rom(info));
	g_assert_cmpstr(wf_port_info_get_driver(info), ==, "cdc_acm");
	g_assert_cmpstr(wf_port_info_get_description(info), ==, "MediaTek boot ROM");
	g_assert_null(wf_port_info_get_serial(info));
	by_id = g_build_filename(tree.dev, "serial", "by-id", "usb-0e8d_0003-if00", NULL);
	g_assert_cmpstr(wf_port_info_get_by_id_path(info), ==, by_id);
	g_assert_true(info_has_holder(info, (guint)getpid()));

	info = g_ptr_array_index(ports, 1);
	g_assert_cmpstr(info_basename(info), ==, "ttyUSB0");
	g_assert_false(wf_port_info_is_boot_rom(info));
	g_assert_cmpuint(wf_port_info_get_vid(info), ==, 0x0e8d);
	g_assert_cmpuint(wf_port_info_get_pid(info), ==, 0x2000);
	g_assert_cmpstr(wf_port_info_get_driver(info), ==, "generic");
	g_assert_null(wf_port_info_get_by_id_path(info));

	info = g_ptr_array_index(ports, 2);
	g_assert_cmpstr(info_basename(info), ==, "ttyACM0");
	g_assert_cmpuint(wf_port_info_get_vid(info), ==, 0x1a86);
	g_assert_cmpuint(wf_port_info_get_pid(info), ==, 0x7523);
	g_assert_cmpstr(wf_port_info_get_serial(info), ==, "ABC123");
	g_assert_cmpstr(wf_port_info_get_product(info), ==, "USB Serial");
	g_assert_cmpstr(wf_port_info_get_description(info), ==, "USB Serial");
	g_assert_cmpstr(wf_port_info_get_driver(info), ==, "ch341");

	info = g_ptr_array_index(ports, 3);
	g_assert_cmpstr(info_basename(info), ==, "ttyACM2");
	g_assert_false(wf_port_info_has_usb_ids(info));
	g_assert_null(wf_port_info_get_driver(info));
	info = g_ptr_array_index(ports, 4);
	g_assert_cmpstr(info_basename(info), ==, "ttyACM10");

	fake_tree_clear(&tree);
}

static void
test_port_enumerator_no_holders(void)
{
	FakeTree tree = {0};
	g_autoptr(WfPortEnumerator) enumerator = wf_port_enumerator_new();
	g_autoptr(GPtrArray) ports = NULL;
	g_autoptr(GError) error = NULL;

	fake_tree_init(&tree);
	wf_port_enumerator_set_dev_dir(enumerator, tree.dev);
	wf_port_enumerator_set_sysfs_dir(enumerator, tree.sys);
	wf_port_enumerator_set_find_holders(enumerator, FALSE);
	ports = wf_port_enumerator_list(enumerator, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ports->len, ==, 5);
	for (guint i = 0; i < ports->len; i++)
		g_assert_cmpuint(wf_port_info_get_holders(g_ptr_array_index(ports, i))->len, ==, 0);
	fake_tree_clear(&tree);
}

static void
test_port_enumerator_probe(void)
{
	FakeTree tree = {0};
	g_autoptr(WfPortEnumerator) enumerator = wf_port_enumerator_new();
	g_autoptr(WfPortInfo) info = NULL;
	g_autoptr(WfPortInfo) missing = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *gone = NULL;

	fake_tree_init(&tree);
	wf_port_enumerator_set_dev_dir(enumerator, tree.dev);
	wf_port_enumerator_set_sysfs_dir(enumerator, tree.sys);

	/* through the by-id link: the sysfs entry is found by the resolved name */
	path = g_build_filename(tree.dev, "serial", "by-id", "usb-0e8d_0003-if00", NULL);
	info = wf_port_enumerator_probe(enumerator, path, &error);
	g_assert_no_error(error);
	g_assert_nonnull(info);
	g_assert_true(wf_port_info_is_boot_rom(info));
	g_assert_cmpuint(wf_port_info_get_holders(info)->len, ==, 0);

	gone = g_build_filename(tree.dev, "ttyACM9", NULL);
	missing = wf_port_enumerator_probe(enumerator, gone, &error);
	g_assert_error(error, WF_ERROR, WF_ERROR_NOT_FOUND);
	g_assert_null(missing);
	fake_tree_clear(&tree);
}

static void
test_port_enumerator_candidate_names(void)
{
	g_assert_true(wf_port_enumerator_is_candidate_name("/dev/ttyACM0"));
	g_assert_true(wf_port_enumerator_is_candidate_name("ttyUSB12"));
	g_assert_false(wf_port_enumerator_is_candidate_name("/dev/ttyS0"));
	g_assert_false(wf_port_enumerator_is_candidate_name("/dev/pts/3"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
	g_test_add_func("/port-enumerator/fake-tree", test_port_enumerator_fake_tree);
	g_test_add_func("/port-enumerator/no-holders", test_port_enumerator_no_holders);
	g_test_add_func("/port-enumerator/probe", test_port_enumerator_probe);
	g_test_add_func("/port-enumerator/candidate-names", test_port_enumerator_candidate_names);
	return g_test_run();
}
