// Command callsim is the sales-call roleplay simulator: a practice server
// (the default), a terminal practice room and tools for coaches and scripts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `callsim — practise sales phone calls against simulated customers

Usage:
  callsim [serve] [flags]                 run the practice server (default)
  callsim chat --persona ID [--lang zh|en] [--seed N]
                                          practise a deal in the terminal
  callsim personas [--json]               list personas (with hidden state)
  callsim classify [--lang auto|zh|en] [--json]
                                          classify trainee lines read from stdin
  callsim replay --persona ID [--seed N] [--lang zh|en] [--json] SCRIPT
                                          play a script and print the scorecard
  callsim user add --username U --role trainee|coach|admin [--team T] [--name N]
  callsim user list | passwd --username U | delete --username U
  callsim load --url URL --user U --password P [--deals N] [--concurrency C]
               [--baseline [--rounds R]] [--hold N]
                                          load a running server on this machine
  callsim backup FILE                     a consistent copy of the database, while the server runs
  callsim version

Every command takes --config FILE (default ./config.yaml when present).
Settings come from the file, then CALLSIM_* environment variables, then flags.
`

// errUsage marks errors caused by how the command was called (exit code 2).
var errUsage = errors.New("usage")

// Env is what a command needs from the process, so tests can run commands
// in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	if err := Run(ctx, os.Args[1:], env); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "callsim:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// Run runs one callsim command with its arguments.
func Run(ctx context.Context, args []string, env Env) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, args, env)
	case "chat":
		return runChat(ctx, args, env)
	case "personas":
		return runPersonas(ctx, args, env)
	case "classify":
		return runClassify(ctx, args, env)
	case "replay":
		return runReplay(ctx, args, env)
	case "user":
		return runUser(ctx, args, env)
	case "load":
		return runLoad(ctx, args, env)
	case "backup":
		return runBackup(ctx, args, env)
	case "version":
		return runVersion(ctx, args, env)
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q (see 'callsim help'): %w", cmd, errUsage)
}
