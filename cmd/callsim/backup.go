package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

const backupUsage = `Usage:
  callsim backup [--config FILE] [--data DIR] FILE

Writes a consistent copy of DIR/callsim.db (default server.data_dir) to
FILE, which must not exist. It can run while the server runs: live calls go
on, and the copy holds every turn committed before it started. To restore,
stop the server, put the copy in place of callsim.db (removing callsim.db-wal
and callsim.db-shm), and start it again.

`

// runBackup copies the database to a new file while the server may run.
func runBackup(ctx context.Context, args []string, env Env) error {
	fset := flag.NewFlagSet("backup", flag.ContinueOnError)
	cfgPath := configFlags(fset)
	fset.String("data", "", "data directory holding callsim.db (default server.data_dir)")
	fset.Usage = func() {
		fmt.Fprint(fset.Output(), backupUsage)
		fset.PrintDefaults()
	}
	if err := parseFlags(fset, args, env); err != nil {
		return err
	}
	if fset.NArg() != 1 {
		return fmt.Errorf("backup: want one FILE to write (see 'callsim backup -h'): %w", errUsage)
	}
	out := fset.Arg(0)
	cfg, err := loadConfig(fset, *cfgPath, env)
	if err != nil {
		return err
	}
	// Opening creates a missing database; a backup of nothing is a mistake.
	src := filepath.Join(cfg.Server.DataDir, dbFile)
	if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: no database at %s (see --data)", src)
	} else if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	db, _, err := openUsers(ctx, cfg)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	if err := db.Backup(ctx, out); err != nil {
		return err
	}
	size := ""
	if fi, err := os.Stat(out); err == nil {
		size = fmt.Sprintf(" (%d bytes)", fi.Size())
	}
	fmt.Fprintf(env.Stdout, "backed up %s to %s%s\n", src, out, size)
	return nil
}
