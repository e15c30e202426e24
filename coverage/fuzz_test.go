package coverage_test

import (
	"strings"
	"testing"

	"github.com/vigil-project/vigil/coverage"
)

func FuzzReadCSV(f *testing.F) {
	f.Add("id,mission,kind,lat,lon,start,end,military,police,civilian,women,men,units,mobility\ns1,T,tob,0.25,20.25,2020-01,2020-06-30,100,10,5,20,80,infantry;medical,foot\n")
	f.Add("id,mission,lat,lon,start,end\na,b,1e400,NaN,2020-00,x\n")
	f.Fuzz(func(t *testing.T, s string) {
		deps, err := coverage.ReadCSV(strings.NewReader(s), "f.csv", testCells(false))
		if err == nil {
			for _, d := range deps {
				if d.End < d.Start || d.Military < 0 {
					t.Fatalf("invalid deployment accepted: %+v", d)
				}
			}
		}
	})
}

func FuzzReadGeoJSON(f *testing.F) {
	f.Add(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[20.25,0.25]},"properties":{"id":"t1","mission":"T","start":"2021-02","end":"2021-04","military":60,"units":["infantry"]}}]}`)
	f.Add(`{"type":"FeatureCollection","features":[{"geometry":{"type":"Point","coordinates":[1]}}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = coverage.ReadGeoJSON(strings.NewReader(s), "f.geojson", testCells(false))
	})
}

func FuzzReadGeoPKO(f *testing.F) {
	f.Add("mission,year,month,location,latitude,longitude,no.troops,inf,avia,hq,company,fpu,fpu.no\nM,2005,3,A,0.25,21.25,650,1,0,1,0,0,0\nM,2005,9,A,0.25,21.25,unknown,1,1,0,2,0,NA\n")
	f.Fuzz(func(t *testing.T, s string) {
		deps, err := coverage.ReadGeoPKO(strings.NewReader(s), "g.csv", testCells(false))
		if err == nil {
			for _, d := range deps {
				if d.End < d.Start {
					t.Fatalf("end before start: %+v", d)
				}
			}
		}
	})
}

func FuzzReadPrioCells(f *testing.F) {
	f.Add("priogrid_gid,gwno_prio2014,country,cell_center_lat,cell_center_lon,population,friction\n110579,490,DR Congo (Zaire),-13.25,29.25,1000,1.5\n")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = coverage.ReadPrioCells(strings.NewReader(s), "c.csv")
	})
}

func FuzzReadSeasons(f *testing.F) {
	f.Add(`{"km":{"foot":12},"rainy_factor":{"vehicle":0.4},"rainy_months":{"Mali":[7,8]}}`)
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = coverage.ReadSeasons(strings.NewReader(s), "s.json")
	})
}
