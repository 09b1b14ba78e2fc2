package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runExit runs callsim as main does and returns its exit code, stdout and
// stderr.
func runExit(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code := runMain(context.Background(), args, env)
	return code, out.String(), errOut.String()
}

// A usage error is one line on stderr that names the problem and the help
// to read, and exit code 2; nothing goes to stdout.
func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string // the whole of stderr
	}{
		{[]string{"--nope"}, "callsim: serve: flag provided but not defined: -nope (see 'callsim serve --help')\n"},
		{[]string{"serve", "--addr"}, "callsim: serve: flag needs an argument: -addr (see 'callsim serve --help')\n"},
		{[]string{"serve", "extra"}, "callsim: serve: unexpected argument \"extra\" (see 'callsim serve --help')\n"},
		{[]string{"replay", "--seed", "x", "s.txt"}, "callsim: replay: invalid value \"x\" for flag -seed: parse error (see 'callsim replay --help')\n"},
		{[]string{"replay", "--persona", "x"}, "callsim: replay: give exactly one SCRIPT file (- for stdin) (see 'callsim replay --help')\n"},
		{[]string{"chat"}, "callsim: chat: --persona is required (see callsim personas; 'callsim chat --help')\n"},
		{[]string{"personas", "--nope"}, "callsim: personas: flag provided but not defined: -nope (see 'callsim personas --help')\n"},
		{[]string{"classify", "--lang", "fr"}, "callsim: classify: --lang: unknown language \"fr\" (want zh or en) (see 'callsim classify --help')\n"},
		{[]string{"frobnicate"}, "callsim: unknown command \"frobnicate\" (see 'callsim --help')\n"},
		{[]string{"user"}, "callsim: user: want add, list, passwd or delete (see 'callsim user --help')\n"},
		{[]string{"user", "rename"}, "callsim: user: unknown subcommand \"rename\" (want add, list, passwd or delete) (see 'callsim user --help')\n"},
		{[]string{"user", "add", "--nope"}, "callsim: user add: flag provided but not defined: -nope (see 'callsim user add --help')\n"},
		{[]string{"user", "add", "--username", "x"}, "callsim: user add: --role must be trainee, coach or admin, not \"\" (see 'callsim user add --help')\n"},
		{[]string{"version", "extra"}, "callsim: version: unexpected argument \"extra\" (see 'callsim version --help')\n"},
		{[]string{"load", "--deals", "0", "--password", "p"}, "callsim: load: --deals and --concurrency must be at least 1 (see 'callsim load --help')\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runExit(t, tt.args...)
			if code != 2 || errOut != tt.want || out != "" {
				t.Errorf("callsim %s = exit %d, stderr %q, stdout %q; want exit 2, stderr %q and no stdout", strings.Join(tt.args, " "), code, errOut, out, tt.want)
			}
		})
	}
}

// --help and help show the commands, COMMAND --help the flags of one;
// both exit 0 and write to stdout only.
func TestHelp(t *testing.T) {
	commands := []string{"callsim [serve]", "callsim chat --persona ID", "callsim personas [--reveal] [--json]",
		"callsim classify [--lang auto|zh|en] [--json]", "LANG<tab>ACTS<tab>TEXT", "callsim replay --persona ID",
		"callsim user add|list|passwd|delete", "callsim load", "callsim backup", "callsim version", "callsim COMMAND --help"}
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, commands},
		{[]string{"-h"}, commands},
		{[]string{"help"}, commands},
		{[]string{"serve", "--help"}, []string{"Usage:\n  callsim [serve] [--addr A]", "-addr string", "-data string", "-personas string"}},
		{[]string{"help", "replay"}, []string{"callsim replay --persona ID", "-seed int", "-json"}},
		{[]string{"personas", "-h"}, []string{"-reveal", "hidden urgency", "-json"}},
		{[]string{"classify", "--help"}, []string{"LANG<tab>ACTS<tab>TEXT", `{"text":…,"lang":…,"acts":[…]}`, "-lang string"}},
		{[]string{"user", "--help"}, []string{"callsim user add --username U", "callsim user passwd --username U"}},
		{[]string{"user", "add", "--help"}, []string{"callsim user add --username U --role trainee|coach|admin", "-username string", "-role string"}},
		{[]string{"backup", "--help"}, []string{"callsim backup [--config FILE] [--data DIR] FILE", "-data string"}},
		{[]string{"version", "--help"}, []string{"callsim version"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runExit(t, tt.args...)
			if code != 0 || errOut != "" {
				t.Errorf("callsim %s = exit %d, stderr %q; want exit 0 and nothing on stderr", strings.Join(tt.args, " "), code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("callsim %s printed\n%s\nwant it to hold %q", strings.Join(tt.args, " "), out, w)
				}
			}
		})
	}
}

// A command that fails for another reason than its call exits 1, on one
// line.
func TestFailureExitCode(t *testing.T) {
	code, _, errOut := runExit(t, "replay", "--persona", "nobody", "-")
	if code != 1 || !strings.HasPrefix(errOut, `callsim: replay: unknown persona "nobody"`) || strings.Count(errOut, "\n") != 1 {
		t.Errorf("replay --persona nobody = exit %d, stderr %q; want exit 1 and one line naming the persona", code, errOut)
	}
}
