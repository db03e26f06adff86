package science

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// muscleTemplates returns every sentence template of the package's own
// code passed to sayMuscles or sayMuscle, and the formats of fmt calls that
// name muscles (muscleLabel, joinMuscles) directly.
func muscleTemplates(t *testing.T) (templates, direct []string) {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "words.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				if fn.Name == "sayMuscles" || fn.Name == "sayMuscle" {
					lit, ok := call.Args[0].(*ast.BasicLit)
					if !ok {
						t.Errorf("%s: %s with a format that is not a literal", fset.Position(call.Pos()), fn.Name)
						return true
					}
					s, _ := strconv.Unquote(lit.Value)
					templates = append(templates, s)
				}
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); ok && x.Name == "fmt" && strings.HasSuffix(fn.Sel.Name, "printf") {
					if s := formatNamingMuscles(call); s != "" {
						direct = append(direct, s)
					}
				}
			}
			return true
		})
	}
	return templates, direct
}

// formatNamingMuscles returns a fmt call's literal format with each verb
// whose argument is a muscle name (muscleLabel or joinMuscles) written as
// %M, or "" when no argument names muscles.
func formatNamingMuscles(call *ast.CallExpr) string {
	at := -1
	for i, arg := range call.Args {
		if lit, ok := arg.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			at = i
			break
		}
	}
	if at < 0 {
		return ""
	}
	format, _ := strconv.Unquote(call.Args[at].(*ast.BasicLit).Value)
	names := false
	i := at
	format = fmtVerb.ReplaceAllStringFunc(format, func(v string) string {
		i++
		if i >= len(call.Args) || !namesMuscles(call.Args[i]) {
			return v
		}
		names = true
		return "%M"
	})
	if !names {
		return ""
	}
	return format
}

// namesMuscles reports whether an expression calls muscleLabel or joinMuscles.
func namesMuscles(arg ast.Expr) bool {
	found := false
	ast.Inspect(arg, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if id, ok := c.Fun.(*ast.Ident); ok && (id.Name == "muscleLabel" || id.Name == "joinMuscles") {
				found = true
			}
		}
		return true
	})
	return found
}

// Verbs in both numbers, for the agreement check.
var (
	singularVerbs = []string{"is", "gets", "keeps", "stays", "jumps", "works", "needs", "holds", "has"}
	pluralVerbs   = []string{"are", "get", "keep", "stay", "jump", "work", "need", "hold", "have"}
	pronouns      = []string{"they", "them", "their"}
	verbAfterName = regexp.MustCompile(`%M (is|are|get|gets|keep|keeps|stay|stays|jump|jumps|work|works|need|needs)\b`)
	fmtVerb       = regexp.MustCompile(`%[+]?[dsv]`)
)

// disagrees returns the words of text where the subject names (their last
// name, as a sentence ends a list with it) meet a verb of the wrong number,
// or "". "direct back work" is a noun phrase, not a verb, and is skipped.
func disagrees(text string, names []string) string {
	wrong := singularVerbs
	if musclesAreSingular(names) {
		wrong = pluralVerbs
	}
	last := strings.ReplaceAll(names[len(names)-1], "_", " ")
	re := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(last) + ` (` + strings.Join(wrong, "|") + `)\b`)
	for _, loc := range re.FindAllStringIndex(text, -1) {
		if !strings.HasSuffix(strings.ToLower(text[:loc[0]]), "direct ") {
			return text[loc[0]:loc[1]]
		}
	}
	return ""
}

// TestMuscleSentencesAgree renders every sentence template about muscles
// for every muscle alone and for a pair, and checks number agreement:
// "Your back are a weak point" was once a warning.
func TestMuscleSentencesAgree(t *testing.T) {
	templates, direct := muscleTemplates(t)
	if len(templates) < 10 {
		t.Fatalf("found %d templates; the source walk is broken", len(templates))
	}
	for _, format := range direct {
		if verbAfterName.MatchString(format) {
			t.Errorf("%q puts a verb after a muscle name without agreement; use sayMuscles", format)
		}
	}
	subjects := [][]string{{"chest", "back"}, {"quads", "hamstrings"}}
	for _, m := range Muscles {
		subjects = append(subjects, []string{m})
	}
	for _, format := range templates {
		outside := muscleSlot.ReplaceAllString(format, "")
		for _, names := range subjects {
			got := fmtVerb.ReplaceAllString(sayMuscles(format, names), "1")
			if bad := disagrees(got, names); bad != "" {
				t.Errorf("%v: %q in %q", names, bad, got)
			}
			if !musclesAreSingular(names) {
				continue
			}
			for _, p := range pronouns {
				if regexp.MustCompile(`\b`+p+`\b`).MatchString(got) && !regexp.MustCompile(`\b`+p+`\b`).MatchString(outside) {
					t.Errorf("%v: %q refers to one muscle as %q", names, got, p)
				}
			}
		}
	}
	if got := sayMuscle("Your {m} {is|are} a weak point; {it is|they are} trained around the injury.", mBack); got != "Your back is a weak point; it is trained around the injury." {
		t.Errorf("back: %q", got)
	}
	if got := sayMuscle("{M} {keeps|keep} %d sets.", mSideDelts, 4); got != "Side delts keep 4 sets." {
		t.Errorf("side delts: %q", got)
	}
}
