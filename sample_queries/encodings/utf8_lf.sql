-- Author: José Martínez
-- Saved by SQL Server Management Studio as UTF-8 without signature, LF
-- expect: HT001
SELECT sch.number, sch.name, 'Año escolar – 2026' AS label
FROM School sch WITH (NOLOCK)
WHERE sch.districtID = 1
