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
	"strings"
	"syscall"
)

// commandHelp is how each command is called and what it does: the source
// of `callsim help` and of the header of `callsim COMMAND --help`. The
// names are those of the commands' flag sets.
var commandHelp = []struct{ name, synopsis, summary string }{
	{"serve", "callsim [serve] [--addr A] [--data DIR] [--personas DIR] [--log LEVEL]",
		"run the practice server (the default command)"},
	{"chat", "callsim chat --persona ID [--lang zh|en] [--seed N] [--save FILE]",
		"practise a whole deal in the terminal"},
	{"personas", "callsim personas [--reveal] [--json] [--personas DIR]",
		"list the customers to call (--reveal: with their hidden urgency and motive; --json: everything, hidden state included)"},
	{"classify", "callsim classify [--lang auto|zh|en] [--json] < LINES",
		"print what each trainee line read on stdin does: LANG<tab>ACTS<tab>TEXT, acts comma-separated (--json: one {\"text\",\"lang\",\"acts\"} object per line)"},
	{"replay", "callsim replay --persona ID [--seed N] [--lang zh|en] [--json] SCRIPT",
		"play a script of trainee lines (- for stdin) and print the deal scorecard"},
	{"user", "callsim user add|list|passwd|delete [flags]",
		"manage accounts ('callsim user --help')"},
	{"user add", "callsim user add --username U --role trainee|coach|admin [--team T] [--name N] [--password P|-]",
		"add an account; without --password a strong one is generated and printed once"},
	{"user list", "callsim user list [--team T] [--json]",
		"list the accounts"},
	{"user passwd", "callsim user passwd --username U [--password P|-]",
		"set a new password (generated and printed once without --password) and end the user's sessions"},
	{"user delete", "callsim user delete --username U",
		"delete an account with its sessions and deals"},
	{"load", "callsim load --url URL --user U --password P [--deals N] [--concurrency C] [--think D] [--baseline [--rounds R]] [--hold N]",
		"play concurrent websocket deals against a running server on this machine and report turn latency"},
	{"backup", "callsim backup [--data DIR] FILE",
		"write a consistent copy of the database while the server runs"},
	{"version", "callsim version",
		"print the version of callsim and of its engine"},
}

// synopsis returns the usage line and summary of a command ("" when it
// has none).
func synopsis(name string) (usage, summary string) {
	for _, c := range commandHelp {
		if c.name == name {
			return c.synopsis, c.summary
		}
	}
	return "", ""
}

// writeUsage writes `callsim help`: every command with its flags in short.
func writeUsage(w io.Writer) {
	var b strings.Builder
	b.WriteString("callsim — practise sales phone calls against simulated customers\n\nUsage:\n")
	for _, c := range commandHelp {
		if strings.HasPrefix(c.name, "user ") {
			continue // 'callsim user --help' lists them
		}
		fmt.Fprintf(&b, "  %s\n      %s\n", c.synopsis, c.summary)
	}
	b.WriteString(`  callsim help [COMMAND]
      this text, or the flags of COMMAND (as 'callsim COMMAND --help')

The commands that read settings take --config FILE (default ./config.yaml
when present). Settings come from the file, then CALLSIM_* environment
variables, then flags. 'callsim COMMAND --help' shows the flags of a command.
Exit status: 0 done, 1 failed, 2 wrong command or flag.
`)
	io.WriteString(w, b.String())
}

// errUsage marks errors caused by how the command was called (exit code 2).
// Commands wrap it ("replay: --persona is required: %w"); Run adds where to
// read how the command is called.
var errUsage = errors.New("usage")

// usageError is a usage error as it is printed: the problem, then the help
// to read, on one line.
type usageError struct {
	err  error  // wraps errUsage
	help string // the command that shows the right usage: "callsim replay --help"
}

func (e *usageError) Error() string {
	msg := strings.TrimSuffix(e.err.Error(), ": "+errUsage.Error())
	switch {
	case strings.Contains(msg, "(see 'callsim "):
		return msg // the command points at its help already
	case strings.HasSuffix(msg, ")") && strings.Contains(msg, "(see "):
		return msg[:len(msg)-1] + "; '" + e.help + "')" // "(see callsim personas; 'callsim chat --help')"
	}
	return msg + " (see '" + e.help + "')"
}

func (e *usageError) Unwrap() error { return e.err }

// withHelp makes a usage error point at help; other errors, and usage
// errors that already point somewhere, pass unchanged.
func withHelp(err error, help string) error {
	var ue *usageError
	if err == nil || !errors.Is(err, errUsage) || errors.As(err, &ue) {
		return err
	}
	return &usageError{err: err, help: help}
}

// parseFlags parses a command's flags. A bad flag is a one-line usage
// error; -h or --help writes the command's usage and flags to stdout and
// returns flag.ErrHelp (exit code 0).
func parseFlags(fset *flag.FlagSet, args []string, env Env) error {
	// The flag package writes its error and the whole usage on a bad flag:
	// the error is returned instead, on one line.
	fset.SetOutput(io.Discard)
	err := fset.Parse(args)
	if err == nil {
		return nil
	}
	if errors.Is(err, flag.ErrHelp) {
		writeFlagHelp(fset, env.Stdout)
		return err
	}
	return fmt.Errorf("%s: %v: %w", fset.Name(), err, errUsage)
}

// writeFlagHelp writes `callsim COMMAND --help`: a command's own usage
// text when it set one, else its usage line, summary and flags.
func writeFlagHelp(fset *flag.FlagSet, w io.Writer) {
	if w == nil {
		return
	}
	var custom strings.Builder
	fset.SetOutput(&custom)
	fset.Usage()
	var b strings.Builder
	if text := custom.String(); !strings.HasPrefix(text, "Usage of ") { // the flag package's default starts so
		b.WriteString(text)
	} else {
		usage, summary := synopsis(fset.Name())
		if usage == "" {
			usage = "callsim " + fset.Name() + " [flags]"
		}
		fmt.Fprintf(&b, "Usage:\n  %s\n\n", usage)
		if summary != "" {
			fmt.Fprintf(&b, "%s.\n\n", strings.ToUpper(summary[:1])+summary[1:])
		}
		b.WriteString("Flags:\n")
		fset.SetOutput(&b)
		fset.PrintDefaults()
	}
	fset.SetOutput(io.Discard)
	io.WriteString(w, b.String())
}

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
	env := Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	code := runMain(ctx, os.Args[1:], env)
	stop()
	os.Exit(code)
}

// runMain runs one command, prints its error on one line of stderr and
// returns the exit code: 0, 1 when the command failed, 2 when it was
// called wrongly.
func runMain(ctx context.Context, args []string, env Env) int {
	err := Run(ctx, args, env)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(env.Stderr, "callsim:", err)
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

// Run runs one callsim command with its arguments.
func Run(ctx context.Context, args []string, env Env) error {
	cmd := "serve"
	if len(args) > 0 {
		switch a := args[0]; {
		case a == "help" || a == "-h" || a == "-help" || a == "--help":
			if a == "help" && len(args) > 1 {
				return Run(ctx, []string{args[1], "--help"}, env)
			}
			writeUsage(env.Stdout)
			return nil
		case a != "" && a[0] != '-':
			cmd, args = a, args[1:]
		}
	}
	return withHelp(runCommand(ctx, cmd, args, env), "callsim "+cmd+" --help")
}

func runCommand(ctx context.Context, cmd string, args []string, env Env) error {
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
	}
	return &usageError{err: fmt.Errorf("unknown command %q: %w", cmd, errUsage), help: "callsim --help"}
}
