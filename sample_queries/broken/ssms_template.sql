-- =============================================
-- Author:		<Author,,Name>
-- Create date: <Create Date,,>
-- Description:	<Description,,>
-- =============================================
-- expect: PA001
CREATE PROCEDURE <Procedure_Name, sysname, ProcedureName>
	<@Param1, sysname, @p1> <Datatype_For_Param1, , int> = <Default_Value_For_Param1, , 0>
AS
BEGIN
	SET NOCOUNT ON;
	SELECT <@Param1, sysname, @p1>
END
GO
