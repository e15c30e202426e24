-- Geo-PKO deployments imported before sites took the country of their
-- point's first-level unit keep "Sudan" on UNMIS's sites in South Sudan
-- (Geo-PKO records them "Sudan" before July 2011). The stored rows do not
-- keep Geo-PKO's unit (adm1.name), so the sites are listed: those of the
-- real Geo-PKO v2.x file recorded "Sudan" whose unit is a state of South
-- Sudan (geotext.SudanUnitCountry; storage TestMigrationSouthSudanSites
-- recomputes the list). A name of both countries' sites would not do; none
-- is (UNISFA's Agok, in South Kordufan, stays Sudan's). Rows of other
-- sources are not Geo-PKO's and are left; an import made since records
-- the unit's country already.
UPDATE deployments SET country = 'South Sudan'
	WHERE source = 'geopko' AND country = 'Sudan' AND location IN ('Aweil', 'Bentiu', 'Bor', 'Gok-machar', 'Juba',
	'Malakal', 'Manyang OB', 'Maridi', 'Melut', 'Nasser', 'Raja', 'Rumamier', 'Rumbek', 'Torit', 'Wau', 'Yambio', 'Yei');
UPDATE coverage_version SET version = version + 1 WHERE one = 1;
