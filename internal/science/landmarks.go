package science

import "math"

// LandmarkTable names the landmark table and level adjustment every program
// records in science.landmark_table, so a program can always be explained.
const LandmarkTable = "rp-classic-2020/level-adjusted-v1"

// Landmarks are weekly direct hard sets for one muscle at one frequency.
type Landmarks struct {
	// MV is maintenance volume.
	MV int `json:"mv" desc:"Maintenance volume."`
	// MEV is minimum effective volume.
	MEV int `json:"mev" desc:"Minimum effective volume."`
	// MAVLow is the bottom of the maximum adaptive range.
	MAVLow int `json:"mav_low" desc:"Bottom of the maximum adaptive range."`
	// MAVHigh is the top of the maximum adaptive range.
	MAVHigh int `json:"mav_high" desc:"Top of the maximum adaptive range."`
	// MRV is maximum recoverable volume at the muscle's weekly frequency.
	MRV int `json:"mrv" desc:"Maximum recoverable volume."`
}

// baseLandmark is one row of RP's classic table (DOMAIN.md) for an
// intermediate lifter; mrv is indexed by frequency column 2×/3×/4×/5–6×.
type baseLandmark struct {
	mv, mev, mavLow, mavHigh int
	mrv                      [4]int
}

// rpClassic is DOMAIN.md's table, in Muscles order.
var rpClassic = [numMuscles]baseLandmark{
	mChest:      {4, 6, 12, 20, [4]int{20, 25, 30, 35}},
	mBack:       {6, 10, 14, 22, [4]int{20, 25, 30, 35}},
	mQuads:      {6, 8, 12, 18, [4]int{18, 22, 26, 30}},
	mHamstrings: {3, 4, 10, 16, [4]int{12, 16, 18, 18}},
	mGlutes:     {0, 0, 4, 12, [4]int{12, 18, 25, 30}},
	mFrontDelts: {0, 0, 6, 8, [4]int{12, 16, 16, 16}},
	mSideDelts:  {4, 6, 8, 24, [4]int{25, 30, 35, 40}},
	mRearDelts:  {0, 6, 16, 22, [4]int{18, 25, 30, 35}},
	mBiceps:     {4, 8, 14, 20, [4]int{20, 25, 30, 35}},
	mTriceps:    {4, 6, 10, 14, [4]int{16, 20, 25, 30}},
	mCalves:     {6, 8, 12, 16, [4]int{16, 20, 25, 30}},
	mAbs:        {0, 0, 16, 20, [4]int{10, 20, 25, 25}},
	mTraps:      {0, 0, 12, 20, [4]int{20, 30, 35, 35}},
	mForearms:   {0, 2, 2, 8, [4]int{15, 20, 25, 25}},
}

// beginnerWeeklyCap is DOMAIN.md's ceiling for beginners: at most 14 sets
// per muscle per week whatever the table says.
const beginnerWeeklyCap = 14

// frequencyColumn maps sessions per week to the table's MRV column. The
// table starts at 2×; once a week is priced like 2× because the per-session
// cap of 12 direct sets already bounds what one session can recover from.
func frequencyColumn(freq int) int {
	switch {
	case freq <= 2:
		return 0
	case freq == 3:
		return 1
	case freq == 4:
		return 2
	default:
		return 3
	}
}

// landmarksFor returns the level-adjusted landmarks of muscle m trained freq
// times a week. The level adjustment is our labelled heuristic (DOMAIN.md):
// beginner MV, MEV ×0.6 and MRV ×0.7 capped at 14; advanced MEV +2. The MAV
// range is scaled with MRV for beginners (the table has no beginner MAV and
// a range above MRV would be meaningless) and always clamped into [MEV, MRV],
// because some rows (abs at 2×) list a MAV above the MRV.
func landmarksFor(m int, level string, freq int) Landmarks {
	b := rpClassic[m]
	l := Landmarks{MV: b.mv, MEV: b.mev, MAVLow: b.mavLow, MAVHigh: b.mavHigh, MRV: b.mrv[frequencyColumn(freq)]}
	switch level {
	case LevelBeginner:
		l.MV = roundInt(float64(l.MV) * 0.6)
		l.MEV = roundInt(float64(l.MEV) * 0.6)
		l.MRV = min(roundInt(float64(l.MRV)*0.7), beginnerWeeklyCap)
		l.MAVLow = roundInt(float64(l.MAVLow) * 0.7)
		l.MAVHigh = roundInt(float64(l.MAVHigh) * 0.7)
	case LevelAdvanced:
		l.MEV += 2
	}
	l.MEV = min(l.MEV, l.MRV)
	l.MV = min(l.MV, l.MEV)
	l.MAVHigh = min(max(l.MAVHigh, l.MEV), l.MRV)
	l.MAVLow = min(max(l.MAVLow, l.MEV), l.MAVHigh)
	return l
}

func roundInt(f float64) int { return int(math.Round(f)) }
