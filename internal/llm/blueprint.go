package llm

import "liftplan/internal/science"

// BlueprintSchemaName is the json_schema name of the blueprint response format.
const BlueprintSchemaName = "liftplan_blueprint"

// Blueprint is what the model writes (DESIGN §4): one week's template and the text. The
// engine (science.Expand) expands it into the mesocycle, so the model does no arithmetic.
type (
	Blueprint         = science.Blueprint
	BlueprintDay      = science.BlueprintDay
	BlueprintExercise = science.BlueprintExercise
)

// BlueprintJSONSchema returns the strict JSON schema of the blueprint (the response format).
func BlueprintJSONSchema() []byte { return science.BlueprintJSONSchema() }

// Expand turns a blueprint into the whole mesocycle for the analysis.
func Expand(a science.Analysis, bp Blueprint) science.Program { return science.Expand(a, bp) }
