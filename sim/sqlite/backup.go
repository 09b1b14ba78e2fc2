package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Backup writes a consistent copy of the database to path while it is in
// use, with SQLite's VACUUM INTO: the copy is one snapshot, read on a
// reader connection, so live calls keep committing while it is written.
// It holds every write that returned before Backup was called.
//
// Backup refuses a path that exists. It writes to a temporary file beside
// path, syncs it and then moves it into place, so a backup cut short
// leaves no file at path; the copy is readable by the owner only, like the
// database (it holds password and session hashes).
func (db *DB) Backup(ctx context.Context, path string) (err error) {
	defer db.observe("db.backup", time.Now())
	if path == "" {
		return fmt.Errorf("backup: no file given")
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	dir := filepath.Dir(path)
	// VACUUM INTO writes into an empty file it is given; creating it here
	// first sets its mode and claims a name nobody else holds.
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmpName := tmp.Name()
	defer func() {
		if err != nil {
			os.Remove(tmpName)
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("backup: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := db.db.ExecContext(ctx, "VACUUM INTO ?", tmpName); err != nil {
		return fmt.Errorf("backup: vacuum into %s: %w", tmpName, err)
	}
	// SQLite does not sync the file VACUUM INTO writes.
	if err := syncFile(tmpName); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := moveNew(tmpName, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(dir); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// moveNew moves the file from to the name to, which must not exist. A hard
// link fails when to exists, where a rename would replace it; on file
// systems without hard links it falls back to a rename after a check.
func moveNew(from, to string) error {
	err := os.Link(from, to)
	if err == nil {
		return os.Remove(from)
	}
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists", to)
	}
	if _, serr := os.Lstat(to); serr == nil {
		return fmt.Errorf("%s already exists", to)
	}
	return os.Rename(from, to)
}

// syncFile flushes a file or a directory to stable storage.
func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	serr := f.Sync()
	cerr := f.Close()
	return errors.Join(serr, cerr)
}
