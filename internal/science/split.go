package science

// Split is the weekly structure chosen for the day count.
type Split struct {
	// Type is the split.type of the program schema.
	Type string `json:"type"`
	// DaysPerWeek is the number of training days.
	DaysPerWeek int `json:"days_per_week"`
	// Days describes each day in order.
	Days []SplitDay `json:"days"`
}

// SplitDay is one training day of the split.
type SplitDay struct {
	// Label is the day's display name, e.g. "Upper A".
	Label string `json:"label"`
	// Muscles lists the muscles this day may train directly, in day order.
	Muscles []string `json:"muscles"`

	muscles []int
}

// Day templates per DOMAIN.md's split table. A muscle listed on a day may be
// trained there; the generator decides how many of those days it uses. The
// order inside a day is the order in which muscles claim exercise slots, so
// the main movers of the day come first.
var (
	fullBodyA = []int{mQuads, mChest, mBack, mHamstrings, mGlutes, mSideDelts, mTriceps, mBiceps, mCalves, mAbs, mRearDelts, mFrontDelts, mTraps, mForearms}
	fullBodyB = []int{mHamstrings, mBack, mChest, mQuads, mGlutes, mRearDelts, mBiceps, mTriceps, mSideDelts, mFrontDelts, mCalves, mAbs, mTraps, mForearms}
	fullBodyC = []int{mChest, mQuads, mBack, mGlutes, mHamstrings, mSideDelts, mTriceps, mBiceps, mRearDelts, mCalves, mAbs, mFrontDelts, mTraps, mForearms}
	// Upper days carry the presses, pulls and arms; lower days also take
	// traps and forearms (shrugs and carries sit well next to hinges) and
	// may take side delts, rear delts and biceps, because RP's minimums for
	// the upper-body muscles add up to almost twice the lower body's and a
	// coach balances session length by moving small accessories.
	upperDay = []int{mChest, mBack, mSideDelts, mTriceps, mBiceps, mRearDelts, mFrontDelts}
	lowerDay = []int{mQuads, mHamstrings, mGlutes, mCalves, mAbs, mTraps, mForearms, mSideDelts, mRearDelts, mBiceps}
	pushDay  = []int{mChest, mFrontDelts, mSideDelts, mTriceps, mAbs}
	pullDay  = []int{mBack, mRearDelts, mBiceps, mTraps, mForearms}
	legsDay  = []int{mQuads, mHamstrings, mGlutes, mCalves, mAbs}
	// The 5-day legs day follows a lower day already carrying abs and traps,
	// so it takes forearms instead.
	legsDay5  = []int{mQuads, mHamstrings, mGlutes, mCalves, mForearms}
	lowerDay5 = []int{mQuads, mHamstrings, mGlutes, mCalves, mAbs, mTraps, mSideDelts, mRearDelts}
	pushDay5  = []int{mChest, mFrontDelts, mSideDelts, mTriceps, mAbs}
)

// splitFor returns DOMAIN.md's split for the day count: 2 full body A/B,
// 3 full body A/B/C, 4 upper/lower ×2, 5 upper/lower + push/pull/legs,
// 6 push/pull/legs ×2.
func splitFor(days int) Split {
	type d struct {
		label   string
		muscles []int
	}
	var kind string
	var tpl []d
	switch days {
	case 2:
		kind, tpl = "full_body", []d{{"Full body A", fullBodyA}, {"Full body B", fullBodyB}}
	case 3:
		kind, tpl = "full_body", []d{{"Full body A", fullBodyA}, {"Full body B", fullBodyB}, {"Full body C", fullBodyC}}
	case 4:
		kind, tpl = "upper_lower", []d{{"Upper A", upperDay}, {"Lower A", lowerDay}, {"Upper B", upperDay}, {"Lower B", lowerDay}}
	case 5:
		kind, tpl = "upper_lower_ppl", []d{{"Upper", upperDay}, {"Lower", lowerDay5}, {"Push", pushDay5}, {"Pull", pullDay}, {"Legs", legsDay5}}
	default:
		kind, tpl = "ppl", []d{{"Push A", pushDay}, {"Pull A", pullDay}, {"Legs A", legsDay}, {"Push B", pushDay}, {"Pull B", pullDay}, {"Legs B", legsDay}}
	}
	s := Split{Type: kind, DaysPerWeek: len(tpl), Days: make([]SplitDay, len(tpl))}
	for i, t := range tpl {
		names := make([]string, len(t.muscles))
		for j, m := range t.muscles {
			names[j] = Muscles[m]
		}
		s.Days[i] = SplitDay{Label: t.label, Muscles: names, muscles: t.muscles}
	}
	return s
}
