package httpapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	yamlv3 "go.yaml.in/yaml/v3"
)

// openAPIFile is the OpenAPI description of this package's routes.
const openAPIFile = "../../docs/openapi.yaml"

// openAPIMethods are the operation keys of an OpenAPI path item.
var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// methodless says what a route registered without a method stands for in
// docs/openapi.yaml: the frontend answers GET (and HEAD) only; the JSON 404
// of unknown API routes is no route of its own.
var methodless = map[string]string{
	"/":     "GET /",
	"/api/": "",
}

// routeRoles are the role sets of routes.go, as the x-roles of an operation.
var routeRoles = map[string][]string{
	"anyRole":   {"trainee", "coach", "admin"},
	"coachOrUp": {"coach", "admin"},
	"adminOnly": {"admin"},
}

// route is one pattern the server registers.
type route struct {
	pattern string   // "GET /api/v1/me"
	authed  bool     // registered through api(): a session is required
	roles   []string // nil unless authed
	at      string   // file:line
}

// sourceRoutes reads the patterns that Server.routes registers on the
// server's mux: api("METHOD /path", roles, h), mux.HandleFunc and
// mux.Handle. The patterns are string literals, so that this test (and a
// reader) can find them; function literals (the api helper itself, the
// handlers) are not searched.
func sourceRoutes(t *testing.T) []route {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var body *ast.BlockStmt
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "routes" && fd.Recv != nil {
				body = fd.Body
			}
		}
	}
	if body == nil {
		t.Fatal("no method routes in the package's source")
	}
	var routes []route
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) < 2 {
			return true
		}
		authed := false
		switch fn := call.Fun.(type) {
		case *ast.Ident:
			if fn.Name != "api" {
				return true
			}
			authed = true
		case *ast.SelectorExpr:
			x, ok := fn.X.(*ast.Ident)
			if !ok || x.Name != "mux" || fn.Sel.Name != "HandleFunc" && fn.Sel.Name != "Handle" {
				return true
			}
		default:
			return true
		}
		at := fset.Position(call.Pos()).String()
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			t.Errorf("%s: route pattern is not a string literal; this test cannot read it", at)
			return true
		}
		pattern, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Fatalf("%s: %v", at, err)
		}
		r := route{pattern: pattern, authed: authed, at: at}
		if authed {
			id, ok := call.Args[1].(*ast.Ident)
			if !ok || routeRoles[id.Name] == nil {
				t.Errorf("%s: roles of %q are not one of %v", at, pattern, slices.Sorted(maps.Keys(routeRoles)))
			} else {
				r.roles = routeRoles[id.Name]
			}
		}
		routes = append(routes, r)
		return true
	})
	if len(routes) < 10 {
		t.Fatalf("found %d routes in Server.routes; the patterns moved?", len(routes))
	}
	return routes
}

// operation is what the test reads of an OpenAPI operation.
type operation struct {
	Roles    []string              `yaml:"x-roles"`
	Security []map[string][]string `yaml:"security"`
}

// openAPIOperations reads docs/openapi.yaml: "METHOD /path" → operation.
func openAPIOperations(t *testing.T) map[string]operation {
	t.Helper()
	data, err := os.ReadFile(openAPIFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                            `yaml:"openapi"`
		Paths   map[string]map[string]yamlv3.Node `yaml:"paths"`
	}
	if err := yamlv3.Unmarshal(data, &doc); err != nil {
		t.Fatalf("parse %s: %v", openAPIFile, err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("%s: openapi = %q; want 3.1.x", openAPIFile, doc.OpenAPI)
	}
	ops := map[string]operation{}
	for path, item := range doc.Paths {
		for key, node := range item {
			if !slices.Contains(openAPIMethods, key) {
				continue // parameters, summary, …
			}
			var op operation
			if err := node.Decode(&op); err != nil {
				t.Fatalf("%s: %s %s: %v", openAPIFile, key, path, err)
			}
			ops[strings.ToUpper(key)+" "+path] = op
		}
	}
	return ops
}

// TestOpenAPIMatchesRoutes checks docs/openapi.yaml against the routes the
// server registers: no route undocumented, no documented route missing,
// and the roles and security of each as routes.go says.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	ops := openAPIOperations(t)
	registered := map[string]route{}
	for _, r := range sourceRoutes(t) {
		key := r.pattern
		if !strings.Contains(key, " ") {
			doc, ok := methodless[key]
			if !ok {
				t.Errorf("%s: route %q has no method; give it one, or say in methodless what it stands for", r.at, key)
				continue
			}
			if doc == "" {
				continue
			}
			key = doc
		}
		if prev, ok := registered[key]; ok {
			t.Errorf("%s: %q is registered twice (also at %s)", r.at, key, prev.at)
		}
		registered[key] = r
	}

	for _, key := range slices.Sorted(maps.Keys(registered)) {
		r := registered[key]
		op, ok := ops[key]
		if !ok {
			t.Errorf("%s: route %q is not in %s", r.at, key, openAPIFile)
			continue
		}
		method, _, _ := strings.Cut(key, " ")
		if !r.authed {
			continue // its handler decides who may use it
		}
		if !slices.Equal(op.Roles, r.roles) {
			t.Errorf("%s: x-roles = %v; want %v as in routes.go", key, op.Roles, r.roles)
		}
		wantCSRF := method != http.MethodGet // POST, PUT, PATCH and DELETE need the token
		if len(op.Security) != 1 || op.Security[0]["session"] == nil || (op.Security[0]["csrf"] != nil) != wantCSRF {
			want := "[{session: []}]"
			if wantCSRF {
				want = "[{session: [], csrf: []}]"
			}
			t.Errorf("%s: security = %v; want %s", key, op.Security, want)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(ops)) {
		if _, ok := registered[key]; !ok {
			t.Errorf("%s documents %q, which the server does not register", openAPIFile, key)
		}
	}
}

// TestOpenAPIRoutesServed asks the running server: every documented
// operation is routed to a handler, and every other method on a
// documented path is not (the JSON 404 of unknown API routes, or 405).
func TestOpenAPIRoutesServed(t *testing.T) {
	ops := openAPIOperations(t)
	e := newEnv(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	routed := func(method, path string) (bool, int) {
		t.Helper()
		req, err := http.NewRequest(method, e.ts.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		unrouted := resp.StatusCode == http.StatusMethodNotAllowed ||
			resp.StatusCode == http.StatusNotFound && strings.Contains(string(body), "no such API route")
		return !unrouted, resp.StatusCode
	}
	paths := map[string]bool{}
	for _, key := range slices.Sorted(maps.Keys(ops)) {
		method, tmpl, _ := strings.Cut(key, " ")
		paths[tmpl] = true
		path := samplePath(tmpl)
		if ok, status := routed(method, path); !ok {
			t.Errorf("%s %s = %d: documented as %q, but no handler answers it", method, path, status, key)
		}
	}
	for tmpl := range paths {
		path := samplePath(tmpl)
		for _, method := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			if covered(ops, method, path) {
				continue
			}
			if ok, status := routed(method, path); ok {
				t.Errorf("%s %s = %d: a handler answers it, but %s does not document it", method, path, status, openAPIFile)
			}
		}
	}
}

// samplePath fills the parameters of an OpenAPI path template.
func samplePath(tmpl string) string {
	segs := strings.Split(tmpl, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			segs[i] = "sample"
		}
	}
	return strings.Join(segs, "/")
}

// covered reports whether a documented operation matches method and path,
// a template's parameter matching any one segment (PUT
// /api/v1/personas/reload is PUT /api/v1/personas/{id}).
func covered(ops map[string]operation, method, path string) bool {
	want := strings.Split(path, "/")
	for key := range ops {
		m, tmpl, _ := strings.Cut(key, " ")
		if m != method {
			continue
		}
		segs := strings.Split(tmpl, "/")
		if len(segs) != len(want) {
			continue
		}
		match := true
		for i, s := range segs {
			if s != want[i] && !(strings.HasPrefix(s, "{") && want[i] != "") {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// TestOpenAPIRefs resolves every $ref of docs/openapi.yaml within the file.
func TestOpenAPIRefs(t *testing.T) {
	data, err := os.ReadFile(openAPIFile)
	if err != nil {
		t.Fatal(err)
	}
	var root yamlv3.Node
	if err := yamlv3.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	var refs []*yamlv3.Node
	var walk func(n *yamlv3.Node)
	walk = func(n *yamlv3.Node) {
		if n.Kind == yamlv3.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == "$ref" {
					refs = append(refs, n.Content[i+1])
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&root)
	if len(refs) == 0 {
		t.Fatal("no $ref found")
	}
	for _, ref := range refs {
		ptr, ok := strings.CutPrefix(ref.Value, "#/")
		if !ok {
			t.Errorf("line %d: $ref %q is not within the file", ref.Line, ref.Value)
			continue
		}
		n := root.Content[0]
		for _, key := range strings.Split(ptr, "/") {
			var next *yamlv3.Node
			if n.Kind == yamlv3.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == key {
						next = n.Content[i+1]
					}
				}
			}
			if next == nil {
				t.Errorf("line %d: $ref %q: no %q", ref.Line, ref.Value, key)
				break
			}
			n = next
		}
	}
}
