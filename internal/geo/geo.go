// Package geo holds Vigil's one great-circle distance, used by every package
// that measures between two points on the earth.
package geo

import "math"

// EarthRadiusM is the earth's mean radius in metres (IUGG R1).
const EarthRadiusM = 6371008.8

// DistanceM is the haversine great-circle distance in metres between two
// points given in decimal degrees.
func DistanceM(lat1, lon1, lat2, lon2 float64) float64 {
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * EarthRadiusM * math.Asin(math.Min(1, math.Sqrt(a)))
}

// DistanceKM is DistanceM in kilometres.
func DistanceKM(lat1, lon1, lat2, lon2 float64) float64 {
	return DistanceM(lat1, lon1, lat2, lon2) / 1000
}
