-- sqladvise catalog export
--
-- Run this in SSMS against the district's Campus database, then save the single value it returns
-- as district.json and give it to sqladvise: sqladvise check --catalog district.json ...
-- (In SSMS, "Results to Grid" cuts long values: use "Results to File", or raise the limit for XML
-- and JSON data under Tools > Options > Query Results > SQL Server > Results to Grid.)
--
-- It is read-only and reads only SQL Server's catalog views (sys.*) and server properties: table,
-- view and function definitions, keys, indexes, row counts and pages. It never reads a user table, so no student data leaves the server.
SET NOCOUNT ON;

-- Each table's and indexed view's indexes, and their sizes: rows and in-row pages of the heap or
-- clustered index.
WITH object_indexes AS (
    SELECT
        o.object_id,
        (
            SELECT
                i.name AS [name],
                JSON_QUERY((
                    SELECT CONCAT(N'[', STRING_AGG(CONCAT(N'"', STRING_ESCAPE(c.name, 'json'), N'"'), N',')
                                  WITHIN GROUP (ORDER BY ic.key_ordinal), N']')
                    FROM sys.index_columns AS ic
                    JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
                    WHERE ic.object_id = i.object_id AND ic.index_id = i.index_id AND ic.is_included_column = 0
                )) AS [columns],
                JSON_QUERY((
                    SELECT CONCAT(N'[', STRING_AGG(CONCAT(N'"', STRING_ESCAPE(c.name, 'json'), N'"'), N',')
                                  WITHIN GROUP (ORDER BY ic.index_column_id), N']')
                    FROM sys.index_columns AS ic
                    JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
                    WHERE ic.object_id = i.object_id AND ic.index_id = i.index_id AND ic.is_included_column = 1
                )) AS [include],
                i.is_unique AS [unique],
                CAST(IIF(i.type = 1, 1, 0) AS bit) AS [clustered]
            FROM sys.indexes AS i
            WHERE i.object_id = o.object_id AND i.type IN (1, 2) AND i.is_hypothetical = 0
            ORDER BY i.index_id
            FOR JSON PATH
        ) AS list
    FROM sys.objects AS o
    WHERE o.type IN ('U', 'V') AND o.is_ms_shipped = 0
),
object_sizes AS (
    SELECT p.object_id, SUM(p.row_count) AS row_count, SUM(p.in_row_used_page_count) AS pages
    FROM sys.dm_db_partition_stats AS p
    WHERE p.index_id IN (0, 1)
    GROUP BY p.object_id
)
SELECT (
    SELECT
        N'sqladvise-catalog' AS [format],
        1 AS [version],
        CONCAT(DB_NAME(), N' on ', @@SERVERNAME, N', exported ', CONVERT(nvarchar(19), SYSDATETIME(), 126)) AS [description],
        CAST(0 AS bit) AS [approximate],
        JSON_QUERY((
            SELECT
                CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS [product_version],
                CAST(SERVERPROPERTY('Edition') AS nvarchar(128)) AS [edition],
                d.compatibility_level AS [compatibility_level],
                d.collation_name AS [collation]
            FROM sys.databases AS d
            WHERE d.database_id = DB_ID()
            FOR JSON PATH, WITHOUT_ARRAY_WRAPPER
        )) AS [server],
        JSON_QUERY((
            SELECT
                s.name AS [schema],
                t.name AS [name],
                JSON_QUERY((
                    SELECT
                        c.name AS [name],
                        CASE
                            WHEN ty.name IN (N'varchar', N'char', N'varbinary', N'binary')
                                THEN CONCAT(ty.name, N'(', IIF(c.max_length = -1, N'max', CAST(c.max_length AS nvarchar(10))), N')')
                            WHEN ty.name IN (N'nvarchar', N'nchar')
                                THEN CONCAT(ty.name, N'(', IIF(c.max_length = -1, N'max', CAST(c.max_length / 2 AS nvarchar(10))), N')')
                            WHEN ty.name IN (N'decimal', N'numeric')
                                THEN CONCAT(ty.name, N'(', c.precision, N',', c.scale, N')')
                            ELSE ty.name
                        END AS [type],
                        c.is_nullable AS [nullable],
                        c.collation_name AS [collation]
                    FROM sys.columns AS c
                    JOIN sys.types AS ty ON ty.user_type_id = c.user_type_id
                    WHERE c.object_id = t.object_id
                    ORDER BY c.column_id
                    FOR JSON PATH
                )) AS [columns],
                JSON_QUERY((
                    SELECT CONCAT(N'[', STRING_AGG(CONCAT(N'"', STRING_ESCAPE(c.name, 'json'), N'"'), N',')
                                  WITHIN GROUP (ORDER BY ic.key_ordinal), N']')
                    FROM sys.indexes AS i
                    JOIN sys.index_columns AS ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
                    JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
                    WHERE i.object_id = t.object_id AND i.is_primary_key = 1 AND ic.is_included_column = 0
                )) AS [primary_key],
                JSON_QUERY((SELECT x.list FROM object_indexes AS x WHERE x.object_id = t.object_id)) AS [indexes],
                JSON_QUERY((
                    SELECT
                        fk.name AS [name],
                        JSON_QUERY((
                            SELECT CONCAT(N'[', STRING_AGG(CONCAT(N'"', STRING_ESCAPE(c.name, 'json'), N'"'), N',')
                                          WITHIN GROUP (ORDER BY fkc.constraint_column_id), N']')
                            FROM sys.foreign_key_columns AS fkc
                            JOIN sys.columns AS c ON c.object_id = fkc.parent_object_id AND c.column_id = fkc.parent_column_id
                            WHERE fkc.constraint_object_id = fk.object_id
                        )) AS [columns],
                        rs.name AS [references.schema],
                        rt.name AS [references.table],
                        JSON_QUERY((
                            SELECT CONCAT(N'[', STRING_AGG(CONCAT(N'"', STRING_ESCAPE(c.name, 'json'), N'"'), N',')
                                          WITHIN GROUP (ORDER BY fkc.constraint_column_id), N']')
                            FROM sys.foreign_key_columns AS fkc
                            JOIN sys.columns AS c ON c.object_id = fkc.referenced_object_id AND c.column_id = fkc.referenced_column_id
                            WHERE fkc.constraint_object_id = fk.object_id
                        )) AS [references.columns],
                        CAST(IIF(fk.is_not_trusted = 0 AND fk.is_disabled = 0, 1, 0) AS bit) AS [trusted]
                    FROM sys.foreign_keys AS fk
                    JOIN sys.objects AS rt ON rt.object_id = fk.referenced_object_id
                    JOIN sys.schemas AS rs ON rs.schema_id = rt.schema_id
                    WHERE fk.parent_object_id = t.object_id
                    ORDER BY fk.name
                    FOR JSON PATH
                )) AS [foreign_keys],
                COALESCE((SELECT z.row_count FROM object_sizes AS z WHERE z.object_id = t.object_id), 0) AS [rows],
                COALESCE((SELECT z.pages FROM object_sizes AS z WHERE z.object_id = t.object_id), 0) AS [pages]
            FROM sys.tables AS t
            JOIN sys.schemas AS s ON s.schema_id = t.schema_id
            WHERE t.is_ms_shipped = 0
            ORDER BY s.name, t.name
            FOR JSON PATH
        )) AS [tables],
        JSON_QUERY((
            SELECT
                s.name AS [schema],
                v.name AS [name],
                m.definition AS [definition],
                JSON_QUERY((
                    SELECT CONCAT(N'[', STRING_AGG(CONCAT(N'"', STRING_ESCAPE(c.name, 'json'), N'"'), N',')
                                  WITHIN GROUP (ORDER BY c.column_id), N']')
                    FROM sys.columns AS c
                    WHERE c.object_id = v.object_id
                )) AS [columns],
                CAST(IIF(EXISTS (SELECT 1 FROM sys.indexes AS i WHERE i.object_id = v.object_id AND i.type = 1), 1, 0) AS bit) AS [indexed],
                m.is_schema_bound AS [schemabound],
                JSON_QUERY((SELECT x.list FROM object_indexes AS x WHERE x.object_id = v.object_id)) AS [indexes],
                (SELECT z.row_count FROM object_sizes AS z WHERE z.object_id = v.object_id) AS [rows]
            FROM sys.views AS v
            JOIN sys.schemas AS s ON s.schema_id = v.schema_id
            JOIN sys.sql_modules AS m ON m.object_id = v.object_id
            WHERE v.is_ms_shipped = 0
            ORDER BY s.name, v.name
            FOR JSON PATH
        )) AS [views],
        JSON_QUERY((
            SELECT
                s.name AS [schema],
                o.name AS [name],
                CASE WHEN o.type IN ('FN', 'FS') THEN N'scalar' WHEN o.type = 'IF' THEN N'inline' ELSE N'multi_statement' END AS [kind],
                m.definition AS [definition]
            FROM sys.objects AS o
            JOIN sys.schemas AS s ON s.schema_id = o.schema_id
            LEFT JOIN sys.sql_modules AS m ON m.object_id = o.object_id
            WHERE o.type IN ('FN', 'FS', 'IF', 'TF', 'FT') AND o.is_ms_shipped = 0
            ORDER BY s.name, o.name
            FOR JSON PATH
        )) AS [functions]
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER
) AS [catalog];
