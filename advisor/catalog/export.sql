-- sqladvise catalog export
--
-- Run this in SSMS against the district's Campus database, then save the single value it returns
-- as district.json and give it to sqladvise: sqladvise check --catalog district.json ...
-- (In SSMS, "Results to Grid" cuts long values: use "Results to File", or raise the limit for XML
-- and JSON data under Tools > Options > Query Results > SQL Server > Results to Grid.)
--
-- It is read-only and reads only SQL Server's catalog views (sys.*): table and view definitions,
-- keys, indexes and row counts. It never reads a user table, so no student data leaves the server.
SET NOCOUNT ON;

SELECT (
    SELECT
        N'sqladvise-catalog' AS [format],
        1 AS [version],
        CONCAT(DB_NAME(), N' on ', @@SERVERNAME, N', exported ', CONVERT(nvarchar(19), SYSDATETIME(), 126)) AS [description],
        CAST(0 AS bit) AS [approximate],
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
                        c.is_nullable AS [nullable]
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
                JSON_QUERY((
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
                    WHERE i.object_id = t.object_id AND i.type IN (1, 2) AND i.is_hypothetical = 0
                    ORDER BY i.index_id
                    FOR JSON PATH
                )) AS [indexes],
                (
                    SELECT COALESCE(SUM(p.row_count), 0)
                    FROM sys.dm_db_partition_stats AS p
                    WHERE p.object_id = t.object_id AND p.index_id IN (0, 1)
                ) AS [rows]
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
                CAST(IIF(EXISTS (SELECT 1 FROM sys.indexes AS i WHERE i.object_id = v.object_id AND i.type = 1), 1, 0) AS bit) AS [indexed]
            FROM sys.views AS v
            JOIN sys.schemas AS s ON s.schema_id = v.schema_id
            JOIN sys.sql_modules AS m ON m.object_id = v.object_id
            WHERE v.is_ms_shipped = 0
            ORDER BY s.name, v.name
            FOR JSON PATH
        )) AS [views]
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER
) AS [catalog];
