package science

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// strictKeywords are the only keywords OpenAI strict mode needs from us.
var strictKeywords = []string{"type", "properties", "required", "additionalProperties", "items", "enum", "description"}

// TestSchemaMatchesTypes walks the schema and the Go types together: every
// JSON field of every struct is a property, every property is required, no
// object admits additional properties, and only strict keywords appear.
func TestSchemaMatchesTypes(t *testing.T) {
	var root map[string]any
	if err := json.Unmarshal(ProgramJSONSchema(), &root); err != nil {
		t.Fatal(err)
	}
	walkSchema(t, "program", reflect.TypeFor[Program](), root)
}

func walkSchema(t *testing.T, path string, typ reflect.Type, s map[string]any) {
	t.Helper()
	for k := range s {
		if !slices.Contains(strictKeywords, k) {
			t.Errorf("%s: keyword %q is not allowed in strict mode", path, k)
		}
	}
	switch typ.Kind() {
	case reflect.Struct:
		if s["type"] != "object" || s["additionalProperties"] != false {
			t.Errorf("%s: want type object with additionalProperties false, got %v / %v", path, s["type"], s["additionalProperties"])
		}
		props, _ := s["properties"].(map[string]any)
		var required []string
		for _, r := range s["required"].([]any) {
			required = append(required, r.(string))
		}
		var fields []string
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			fields = append(fields, name)
			sub, ok := props[name].(map[string]any)
			if !ok {
				t.Errorf("%s: field %s missing from properties", path, name)
				continue
			}
			walkSchema(t, path+"."+name, f.Type, sub)
		}
		slices.Sort(fields)
		slices.Sort(required)
		if !slices.Equal(fields, required) || len(props) != len(fields) {
			t.Errorf("%s: fields %v, required %v, %d properties", path, fields, required, len(props))
		}
	case reflect.Slice:
		if s["type"] != "array" {
			t.Errorf("%s: type %v, want array", path, s["type"])
		}
		walkSchema(t, path+"[]", typ.Elem(), s["items"].(map[string]any))
	case reflect.String:
		if s["type"] != "string" {
			t.Errorf("%s: type %v, want string", path, s["type"])
		}
	case reflect.Int:
		if s["type"] != "integer" {
			t.Errorf("%s: type %v, want integer", path, s["type"])
		}
	case reflect.Pointer:
		if got, _ := json.Marshal(s["type"]); string(got) != `["number","null"]` {
			t.Errorf("%s: type %s, want [\"number\",\"null\"]", path, got)
		}
	default:
		t.Errorf("%s: unexpected kind %s", path, typ.Kind())
	}
}

// TestGeneratedProgramsMatchSchema validates real programs against the
// schema with a JSON Schema validator, and checks lists marshal as [].
func TestGeneratedProgramsMatchSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(ProgramJSONSchema()))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("program.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("program.json")
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range allCombinations() {
		if i%997 != 0 {
			continue
		}
		a, _ := Analyze(in)
		b, _ := json.Marshal(Generate(a))
		if bytes.Contains(bytes.ReplaceAll(b, []byte(`"start_kg":null`), nil), []byte("null")) {
			t.Errorf("%+v: program JSON contains null: %s", in, b)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("%+v: %v", in, err)
		}
	}
}

// TestProgramFieldNames pins the export field names of DESIGN §5.
func TestProgramFieldNames(t *testing.T) {
	a, _ := Analyze(ruleBaseInput)
	b, _ := json.Marshal(Generate(a))
	var got map[string]any
	json.Unmarshal(b, &got)
	want := map[string][]string{
		"":                              {"mesocycle", "experience", "goal", "name", "schema_version", "science", "split", "weekly_volume", "weeks"},
		"split":                         {"days_per_week", "type"},
		"mesocycle":                     {"deload_week", "progression", "weeks"},
		"science":                       {"fixes", "landmark_table", "rationale", "warnings", "weak_points"},
		"weeks[0]":                      {"days", "phase", "target_rir", "week"},
		"weeks[0].days[0]":              {"day", "estimated_minutes", "exercises", "label"},
		"weeks[0].days[0].exercises[0]": {"equipment", "exercise_id", "name", "notes", "primary_muscles", "rationale", "rep_max", "rep_min", "rest_seconds", "secondary_muscles", "sets", "start_kg", "target_rir", "unit"},
		"weekly_volume[0]":              {"landmarks", "muscle", "priority", "sets", "week"},
		"weekly_volume[0].landmarks":    {"mav_high", "mav_low", "mev", "mrv", "mv"},
	}
	for path, fields := range want {
		obj := got
		for _, part := range strings.Split(path, ".") {
			if part == "" {
				continue
			}
			name, idx, isList := strings.Cut(part, "[")
			if isList {
				_ = idx
				obj = obj[name].([]any)[0].(map[string]any)
			} else {
				obj = obj[name].(map[string]any)
			}
		}
		var keys []string
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		slices.Sort(fields)
		if !slices.Equal(keys, fields) {
			t.Errorf("%s: got fields %v, want %v", path, keys, fields)
		}
	}
}
