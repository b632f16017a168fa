/*
  An approximation of the Infinite Campus schema that district SQL reads.

  The real schema is given only to Campus customers. These tables, keys, indexes and views are
  reconstructed from public sources (the Campus Knowledge Base, public district SQL, one public
  re-creation of Campus DDL) and are a guess wherever those sources are silent. A district gets
  exact answers from its own catalog export; this file is what sqladvise assumes without one.

  Row counts and growth are not here: they come from the size profile in profile.toml.
  `python -m advisor.catalog.bundle` turns this file and the profile into ../campus.json.
*/

-- People -----------------------------------------------------------------------------------

CREATE TABLE dbo.Person (
    personID int NOT NULL,
    currentIdentityID int NULL,
    studentNumber varchar(15) NULL,
    stateID varchar(15) NULL,
    staffNumber varchar(15) NULL,
    staffStateID varchar(15) NULL,
    modifiedDate datetime NULL,
    CONSTRAINT PK_Person PRIMARY KEY CLUSTERED (personID),
    -- the person's current name: Identity keeps every name a person has had
    CONSTRAINT FK_Person_currentIdentity FOREIGN KEY (currentIdentityID) REFERENCES dbo.[Identity] (identityID)
);
CREATE INDEX IX_Person_studentNumber ON dbo.Person (studentNumber);
CREATE INDEX IX_Person_stateID ON dbo.Person (stateID);
CREATE INDEX IX_Person_currentIdentityID ON dbo.Person (currentIdentityID);
CREATE INDEX IX_Person_staffNumber ON dbo.Person (staffNumber);

CREATE TABLE dbo.[Identity] (
    identityID int NOT NULL,
    personID int NOT NULL,
    effectiveDate smalldatetime NULL,
    lastName varchar(50) NOT NULL,
    firstName varchar(50) NOT NULL,
    middleName varchar(50) NULL,
    suffix varchar(10) NULL,
    alias varchar(50) NULL,
    gender char(1) NULL,
    birthdate smalldatetime NULL,
    raceEthnicity varchar(4) NULL,
    hispanicEthnicity char(1) NULL,
    homePrimaryLanguage varchar(4) NULL,
    modifiedDate datetime NULL,
    CONSTRAINT PK_Identity PRIMARY KEY CLUSTERED (identityID)
);
CREATE INDEX IX_Identity_personID ON dbo.[Identity] (personID);
CREATE INDEX IX_Identity_name ON dbo.[Identity] (lastName, firstName);
CREATE INDEX IX_Identity_birthdate ON dbo.[Identity] (birthdate);

CREATE TABLE dbo.Contact (
    personID int NOT NULL,
    homePhone varchar(25) NULL,
    workPhone varchar(25) NULL,
    cellPhone varchar(25) NULL,
    email varchar(100) NULL,
    secondaryEmail varchar(100) NULL,
    privatePhone bit NOT NULL,
    privateEmail bit NOT NULL,
    modifiedDate datetime NULL,
    CONSTRAINT PK_Contact PRIMARY KEY CLUSTERED (personID)
);

CREATE TABLE dbo.RelatedPair (
    pairID int NOT NULL,
    personID1 int NOT NULL,
    personID2 int NOT NULL,
    name varchar(50) NULL,
    guardian bit NOT NULL,
    mailing bit NOT NULL,
    portal bit NOT NULL,
    seq tinyint NULL,
    startDate smalldatetime NULL,
    endDate smalldatetime NULL,
    modifiedDate datetime NULL,
    CONSTRAINT PK_RelatedPair PRIMARY KEY CLUSTERED (pairID)
);
CREATE INDEX IX_RelatedPair_personID1 ON dbo.RelatedPair (personID1, personID2);
CREATE INDEX IX_RelatedPair_personID2 ON dbo.RelatedPair (personID2);

CREATE TABLE dbo.Household (
    householdID int NOT NULL,
    name varchar(50) NULL,
    phone varchar(25) NULL,
    privatePhone bit NOT NULL,
    CONSTRAINT PK_Household PRIMARY KEY CLUSTERED (householdID)
);

CREATE TABLE dbo.HouseholdMember (
    memberID int NOT NULL,
    householdID int NOT NULL,
    personID int NOT NULL,
    startDate smalldatetime NULL,
    endDate smalldatetime NULL,
    secondary bit NOT NULL,
    CONSTRAINT PK_HouseholdMember PRIMARY KEY CLUSTERED (memberID)
);
CREATE INDEX IX_HouseholdMember_personID ON dbo.HouseholdMember (personID);
CREATE INDEX IX_HouseholdMember_householdID ON dbo.HouseholdMember (householdID);

CREATE TABLE dbo.Address (
    addressID int NOT NULL,
    number varchar(10) NULL,
    prefix varchar(10) NULL,
    street varchar(50) NULL,
    tag varchar(10) NULL,
    dir varchar(10) NULL,
    apt varchar(10) NULL,
    city varchar(30) NULL,
    state char(2) NULL,
    zip varchar(10) NULL,
    county varchar(30) NULL,
    postOfficeBox bit NOT NULL,
    CONSTRAINT PK_Address PRIMARY KEY CLUSTERED (addressID)
);

CREATE TABLE dbo.HouseholdLocation (
    locationID int NOT NULL,
    householdID int NOT NULL,
    addressID int NOT NULL,
    startDate smalldatetime NULL,
    endDate smalldatetime NULL,
    mailing bit NOT NULL,
    physical bit NOT NULL,
    secondary bit NOT NULL,
    CONSTRAINT PK_HouseholdLocation PRIMARY KEY CLUSTERED (locationID)
);
CREATE INDEX IX_HouseholdLocation_householdID ON dbo.HouseholdLocation (householdID);

CREATE TABLE dbo.UserAccount (
    userID int NOT NULL,
    personID int NULL,
    username varchar(50) NOT NULL,
    disable bit NOT NULL,
    lastLogin datetime NULL,
    CONSTRAINT PK_UserAccount PRIMARY KEY CLUSTERED (userID)
);
CREATE INDEX IX_UserAccount_personID ON dbo.UserAccount (personID);

-- The district and its years -------------------------------------------------------------

CREATE TABLE dbo.District (
    districtID int NOT NULL,
    number varchar(10) NULL,
    name varchar(100) NOT NULL,
    state char(2) NULL,
    CONSTRAINT PK_District PRIMARY KEY CLUSTERED (districtID)
);

CREATE TABLE dbo.School (
    schoolID int NOT NULL,
    districtID int NOT NULL,
    number varchar(10) NULL,
    name varchar(100) NOT NULL,
    type varchar(10) NULL,
    phone varchar(25) NULL,
    address varchar(100) NULL,
    city varchar(30) NULL,
    state char(2) NULL,
    zip varchar(10) NULL,
    CONSTRAINT PK_School PRIMARY KEY CLUSTERED (schoolID)
);

CREATE TABLE dbo.SchoolYear (
    endYear smallint NOT NULL,
    label varchar(10) NULL,
    startDate smalldatetime NULL,
    endDate smalldatetime NULL,
    active bit NOT NULL,
    CONSTRAINT PK_SchoolYear PRIMARY KEY CLUSTERED (endYear)
);

CREATE TABLE dbo.Calendar (
    calendarID int NOT NULL,
    schoolID int NOT NULL,
    districtID int NOT NULL,
    endYear smallint NOT NULL,
    name varchar(50) NOT NULL,
    number varchar(10) NULL,
    type varchar(10) NULL,
    startDate smalldatetime NULL,
    endDate smalldatetime NULL,
    summerSchool bit NOT NULL,
    [exclude] bit NOT NULL,
    CONSTRAINT PK_Calendar PRIMARY KEY NONCLUSTERED (calendarID)
);
CREATE CLUSTERED INDEX IX_Calendar_school ON dbo.Calendar (schoolID, endYear, calendarID);
CREATE INDEX IX_Calendar_year ON dbo.Calendar (endYear, districtID, schoolID, name);
CREATE INDEX IX_Calendar_district ON dbo.Calendar (districtID, schoolID, calendarID);

CREATE TABLE dbo.ScheduleStructure (
    structureID int NOT NULL,
    calendarID int NOT NULL,
    name varchar(30) NULL,
    active bit NOT NULL,
    primaryStructure bit NOT NULL,
    CONSTRAINT PK_ScheduleStructure PRIMARY KEY CLUSTERED (structureID)
);
CREATE INDEX IX_ScheduleStructure_calendarID ON dbo.ScheduleStructure (calendarID);

CREATE TABLE dbo.Trial (
    trialID int NOT NULL,
    calendarID int NOT NULL,
    structureID int NOT NULL,
    name varchar(30) NULL,
    active bit NOT NULL,
    CONSTRAINT PK_Trial PRIMARY KEY CLUSTERED (trialID)
);
CREATE INDEX IX_Trial_calendarID ON dbo.Trial (calendarID, structureID);

CREATE TABLE dbo.TermSchedule (
    termScheduleID int NOT NULL,
    structureID int NOT NULL,
    name varchar(30) NULL,
    CONSTRAINT PK_TermSchedule PRIMARY KEY CLUSTERED (termScheduleID)
);

CREATE TABLE dbo.Term (
    termID int NOT NULL,
    termScheduleID int NOT NULL,
    name varchar(30) NULL,
    seq tinyint NULL,
    startDate smalldatetime NULL,
    endDate smalldatetime NULL,
    CONSTRAINT PK_Term PRIMARY KEY CLUSTERED (termID)
);
CREATE INDEX IX_Term_termScheduleID ON dbo.Term (termScheduleID);

CREATE TABLE dbo.PeriodSchedule (
    periodScheduleID int NOT NULL,
    structureID int NOT NULL,
    name varchar(30) NULL,
    CONSTRAINT PK_PeriodSchedule PRIMARY KEY CLUSTERED (periodScheduleID)
);

CREATE TABLE dbo.Period (
    periodID int NOT NULL,
    periodScheduleID int NOT NULL,
    name varchar(30) NULL,
    seq tinyint NULL,
    startTime smalldatetime NULL,
    endTime smalldatetime NULL,
    nonInstructional bit NOT NULL,
    CONSTRAINT PK_Period PRIMARY KEY CLUSTERED (periodID)
);
CREATE INDEX IX_Period_periodScheduleID ON dbo.Period (periodScheduleID);

CREATE TABLE dbo.Day (
    dayID int NOT NULL,
    calendarID int NOT NULL,
    structureID int NOT NULL,
    periodScheduleID int NULL,
    date smalldatetime NOT NULL,
    attendance bit NOT NULL,
    instruction bit NOT NULL,
    comments varchar(255) NULL,
    CONSTRAINT PK_Day PRIMARY KEY NONCLUSTERED (dayID)
);
CREATE CLUSTERED INDEX IX_Day_calendar ON dbo.Day (calendarID, date);

-- Enrollment and attendance ----------------------------------------------------------------

CREATE TABLE dbo.Enrollment (
    enrollmentID int NOT NULL,
    personID int NOT NULL,
    calendarID int NOT NULL,
    structureID int NOT NULL,
    districtID int NOT NULL,
    endYear smallint NOT NULL,
    grade varchar(4) NULL,
    serviceType char(1) NOT NULL,
    startDate smalldatetime NOT NULL,
    startStatus varchar(10) NULL,
    endDate smalldatetime NULL,
    endStatus varchar(10) NULL,
    endAction varchar(10) NULL,
    noShow bit NOT NULL,
    stateExclude bit NOT NULL,
    specialEdStatus varchar(10) NULL,
    modifiedDate datetime NULL,
    CONSTRAINT PK_Enrollment PRIMARY KEY NONCLUSTERED (enrollmentID)
);
CREATE CLUSTERED INDEX IX_Enrollment_calendar ON dbo.Enrollment (calendarID, structureID, personID);
CREATE INDEX IX_Enrollment_year ON dbo.Enrollment (endYear, districtID);
CREATE INDEX IX_Enrollment_personID ON dbo.Enrollment (personID);
CREATE INDEX IX_Enrollment_modified ON dbo.Enrollment (modifiedDate, noShow);

CREATE TABLE dbo.AttendanceExcuse (
    excuseID int NOT NULL,
    calendarID int NOT NULL,
    code varchar(10) NOT NULL,
    description varchar(50) NULL,
    status char(1) NOT NULL,
    excuse char(1) NULL,
    stateCode varchar(10) NULL,
    CONSTRAINT PK_AttendanceExcuse PRIMARY KEY CLUSTERED (excuseID)
);
CREATE INDEX IX_AttendanceExcuse_calendarID ON dbo.AttendanceExcuse (calendarID);

CREATE TABLE dbo.Attendance (
    attendanceID int NOT NULL,
    personID int NOT NULL,
    calendarID int NOT NULL,
    periodID int NOT NULL,
    date smalldatetime NOT NULL,
    excuseID int NULL,
    status char(1) NULL,
    excuse char(1) NULL,
    presentMinutes smallint NULL,
    comments varchar(255) NULL,
    modifiedDate datetime NULL,
    modifiedByID int NULL,
    CONSTRAINT PK_Attendance PRIMARY KEY NONCLUSTERED (attendanceID)
);
CREATE CLUSTERED INDEX IX_Attendance_calendar ON dbo.Attendance (calendarID, date, personID, periodID);
CREATE INDEX IX_Attendance_person ON dbo.Attendance (personID, date);

-- Courses, sections and schedules ------------------------------------------------------------

CREATE TABLE dbo.Department (
    departmentID int NOT NULL,
    schoolID int NOT NULL,
    name varchar(50) NOT NULL,
    CONSTRAINT PK_Department PRIMARY KEY CLUSTERED (departmentID)
);

CREATE TABLE dbo.Room (
    roomID int NOT NULL,
    schoolID int NOT NULL,
    name varchar(30) NOT NULL,
    maxStudents smallint NULL,
    CONSTRAINT PK_Room PRIMARY KEY CLUSTERED (roomID)
);

CREATE TABLE dbo.Course (
    courseID int NOT NULL,
    calendarID int NOT NULL,
    departmentID int NULL,
    number varchar(13) NOT NULL,
    name varchar(50) NOT NULL,
    stateCode varchar(10) NULL,
    type varchar(10) NULL,
    credits decimal(5, 2) NULL,
    active bit NOT NULL,
    CONSTRAINT PK_Course PRIMARY KEY CLUSTERED (courseID)
);
CREATE INDEX IX_Course_calendarID ON dbo.Course (calendarID, number);

CREATE TABLE dbo.Section (
    sectionID int NOT NULL,
    courseID int NOT NULL,
    trialID int NOT NULL,
    number smallint NOT NULL,
    teacherPersonID int NULL,
    roomID int NULL,
    maxStudents smallint NULL,
    homeroomSection bit NOT NULL,
    CONSTRAINT PK_Section PRIMARY KEY CLUSTERED (sectionID)
);
CREATE INDEX IX_Section_courseID ON dbo.Section (courseID, trialID);
CREATE INDEX IX_Section_trialID ON dbo.Section (trialID);
CREATE INDEX IX_Section_teacher ON dbo.Section (teacherPersonID);

CREATE TABLE dbo.SectionPlacement (
    placementID int NOT NULL,
    sectionID int NOT NULL,
    trialID int NOT NULL,
    termID int NOT NULL,
    periodID int NOT NULL,
    CONSTRAINT PK_SectionPlacement PRIMARY KEY NONCLUSTERED (placementID)
);
CREATE CLUSTERED INDEX IX_SectionPlacement_section ON dbo.SectionPlacement (sectionID, trialID, termID, periodID);

CREATE TABLE dbo.Roster (
    rosterID int NOT NULL,
    personID int NOT NULL,
    sectionID int NOT NULL,
    trialID int NOT NULL,
    startDate smalldatetime NULL,
    endDate smalldatetime NULL,
    modifiedDate datetime NULL,
    CONSTRAINT PK_Roster PRIMARY KEY NONCLUSTERED (rosterID)
);
CREATE CLUSTERED INDEX IX_Roster_section ON dbo.Roster (sectionID, trialID, personID);
CREATE INDEX IX_Roster_personID ON dbo.Roster (personID, trialID);

-- Grades and transcripts -------------------------------------------------------------------

CREATE TABLE dbo.GradingTask (
    taskID int NOT NULL,
    name varchar(50) NOT NULL,
    seq smallint NULL,
    gpa bit NOT NULL,
    CONSTRAINT PK_GradingTask PRIMARY KEY CLUSTERED (taskID)
);

CREATE TABLE dbo.GradingScore (
    scoreID int NOT NULL,
    personID int NOT NULL,
    calendarID int NOT NULL,
    sectionID int NOT NULL,
    termID int NOT NULL,
    taskID int NOT NULL,
    score varchar(10) NULL,
    [percent] decimal(6, 3) NULL,
    comments varchar(255) NULL,
    modifiedDate datetime NULL,
    CONSTRAINT PK_GradingScore PRIMARY KEY NONCLUSTERED (scoreID)
);
CREATE CLUSTERED INDEX IX_GradingScore_section ON dbo.GradingScore (sectionID, termID, taskID, personID);
CREATE INDEX IX_GradingScore_person ON dbo.GradingScore (personID, calendarID);

CREATE TABLE dbo.TranscriptCourse (
    transcriptID int NOT NULL,
    personID int NOT NULL,
    startYear smallint NULL,
    endYear smallint NOT NULL,
    grade varchar(4) NULL,
    schoolNumber varchar(10) NULL,
    schoolName varchar(100) NULL,
    courseNumber varchar(13) NULL,
    courseName varchar(50) NULL,
    score varchar(10) NULL,
    gpaValue decimal(6, 3) NULL,
    gpaWeight decimal(6, 3) NULL,
    creditsAttempted decimal(5, 2) NULL,
    creditsEarned decimal(5, 2) NULL,
    date smalldatetime NULL,
    CONSTRAINT PK_TranscriptCourse PRIMARY KEY NONCLUSTERED (transcriptID)
);
CREATE CLUSTERED INDEX IX_TranscriptCourse_person ON dbo.TranscriptCourse (personID, endYear);

-- Staff ----------------------------------------------------------------------------------------

CREATE TABLE dbo.Employment (
    employmentID int NOT NULL,
    personID int NOT NULL,
    districtID int NOT NULL,
    startDate smalldatetime NULL,
    endDate smalldatetime NULL,
    CONSTRAINT PK_Employment PRIMARY KEY CLUSTERED (employmentID)
);
CREATE INDEX IX_Employment_personID ON dbo.Employment (personID);

CREATE TABLE dbo.EmploymentAssignment (
    assignmentID int NOT NULL,
    personID int NOT NULL,
    schoolID int NOT NULL,
    title varchar(50) NULL,
    teacher bit NOT NULL,
    specialEd bit NOT NULL,
    counselor bit NOT NULL,
    startDate smalldatetime NULL,
    endDate smalldatetime NULL,
    CONSTRAINT PK_EmploymentAssignment PRIMARY KEY CLUSTERED (assignmentID)
);
CREATE INDEX IX_EmploymentAssignment_personID ON dbo.EmploymentAssignment (personID);
CREATE INDEX IX_EmploymentAssignment_schoolID ON dbo.EmploymentAssignment (schoolID, startDate);

-- Custom fields (attribute / dictionary / value) -------------------------------------------------

CREATE TABLE dbo.CampusAttribute (
    attributeID int NOT NULL,
    object varchar(50) NOT NULL,
    element varchar(50) NOT NULL,
    name varchar(50) NULL,
    CONSTRAINT PK_CampusAttribute PRIMARY KEY CLUSTERED (attributeID)
);

CREATE TABLE dbo.CampusDictionary (
    dictionaryID int NOT NULL,
    attributeID int NOT NULL,
    code varchar(10) NOT NULL,
    value varchar(100) NULL,
    seq smallint NULL,
    CONSTRAINT PK_CampusDictionary PRIMARY KEY CLUSTERED (dictionaryID)
);
CREATE INDEX IX_CampusDictionary_attributeID ON dbo.CampusDictionary (attributeID, code);

CREATE TABLE dbo.CustomStudent (
    customID int NOT NULL,
    personID int NOT NULL,
    enrollmentID int NULL,
    attributeID int NOT NULL,
    value varchar(255) NULL,
    date smalldatetime NULL,
    CONSTRAINT PK_CustomStudent PRIMARY KEY CLUSTERED (customID)
);
CREATE INDEX IX_CustomStudent_person ON dbo.CustomStudent (personID, attributeID);

GO

-- Views ------------------------------------------------------------------------------------------
-- Each view is its own batch, as SQL Server requires.

-- One row per enrollment. Campus ships it as an indexed view, which is why production SQL reads
-- it WITH (NOEXPAND). activeYear (1 for the school year marked active) is how much district SQL
-- limits it to this year.
CREATE VIEW dbo.student WITH SCHEMABINDING AS
SELECT p.personID, p.studentNumber, p.stateID, i.identityID, i.lastName, i.firstName, i.middleName,
       i.suffix, i.alias, i.gender, i.birthdate, i.raceEthnicity, i.hispanicEthnicity,
       i.homePrimaryLanguage, e.enrollmentID, e.calendarID, e.structureID, e.grade, e.serviceType,
       e.startDate, e.startStatus, e.endDate, e.endStatus, e.endAction, e.noShow, e.stateExclude,
       e.specialEdStatus, e.endYear, sy.active AS activeYear, c.schoolID, c.districtID,
       c.name AS calendarName, c.summerSchool
FROM dbo.Person p
JOIN dbo.[Identity] i ON i.identityID = p.currentIdentityID
JOIN dbo.Enrollment e ON e.personID = p.personID
JOIN dbo.Calendar c ON c.calendarID = e.calendarID
JOIN dbo.SchoolYear sy ON sy.endYear = e.endYear
GO
CREATE UNIQUE CLUSTERED INDEX IX_student ON dbo.student (enrollmentID);
CREATE INDEX IX_student_person ON dbo.student (personID, endYear);
CREATE INDEX IX_student_calendar ON dbo.student (calendarID, grade);
CREATE INDEX IX_student_year ON dbo.student (endYear, schoolID);
GO

-- The ad hoc student data source: the student view plus derived fields, each with its own cost.
CREATE VIEW dbo.v_AdHocStudent AS
SELECT s.personID, s.studentNumber, s.stateID, s.lastName, s.firstName, s.middleName, s.suffix,
       s.alias, s.gender, s.birthdate, s.raceEthnicity, s.hispanicEthnicity,
       s.homePrimaryLanguage, s.enrollmentID, s.calendarID, s.structureID, s.grade,
       s.serviceType, s.startDate, s.startStatus, s.endDate, s.endStatus, s.endAction, s.noShow,
       s.stateExclude, s.specialEdStatus, s.endYear, s.activeYear, s.schoolID, s.districtID,
       s.calendarName, sch.name AS schoolName, sch.number AS schoolNumber,
       CASE WHEN s.startDate <= GETDATE() AND (s.endDate IS NULL OR s.endDate >= GETDATE())
            THEN 1 ELSE 0 END AS activeToday,
       DATEDIFF(year, s.birthdate, GETDATE()) AS age,
       hr.teacherName AS homeroomTeacher, hr.roomName AS homeroomRoom,
       ct.email AS studentEmail
FROM dbo.student s WITH (NOEXPAND)
JOIN dbo.School sch ON sch.schoolID = s.schoolID
LEFT JOIN dbo.Contact ct ON ct.personID = s.personID
OUTER APPLY (
    SELECT TOP 1 ti.lastName + ', ' + ti.firstName AS teacherName, rm.name AS roomName
    FROM dbo.Roster r
    JOIN dbo.Section se ON se.sectionID = r.sectionID AND se.trialID = r.trialID
    JOIN dbo.Trial t ON t.trialID = se.trialID
    JOIN dbo.Person tp ON tp.personID = se.teacherPersonID
    JOIN dbo.[Identity] ti ON ti.identityID = tp.currentIdentityID
    LEFT JOIN dbo.Room rm ON rm.roomID = se.roomID
    WHERE r.personID = s.personID AND t.calendarID = s.calendarID AND t.active = 1
      AND se.homeroomSection = 1
      AND (r.endDate IS NULL OR r.endDate >= GETDATE())
) hr
GO

-- One row per student and related person, with the contact's phones, e-mail and mailing address.
CREATE VIEW dbo.v_CensusContactSummary AS
SELECT rp.personID1 AS personID, rp.personID2 AS contactPersonID, rp.name AS relationship,
       rp.guardian, rp.mailing, rp.portal, rp.seq AS contactSequence,
       rp.startDate AS relationshipStartDate, rp.endDate AS relationshipEndDate,
       i.lastName, i.firstName, i.gender, ct.homePhone, ct.workPhone, ct.cellPhone, ct.email,
       ct.privatePhone, ct.privateEmail, hm.householdID, h.name AS householdName,
       a.number + ' ' + a.street + ISNULL(' ' + a.tag, '') AS addressLine1, a.apt, a.city,
       a.state, a.zip
FROM dbo.RelatedPair rp
JOIN dbo.Person p ON p.personID = rp.personID2
JOIN dbo.[Identity] i ON i.identityID = p.currentIdentityID
LEFT JOIN dbo.Contact ct ON ct.personID = rp.personID2
LEFT JOIN dbo.HouseholdMember hm ON hm.personID = rp.personID2 AND hm.endDate IS NULL
LEFT JOIN dbo.Household h ON h.householdID = hm.householdID
LEFT JOIN dbo.HouseholdLocation hl ON hl.householdID = hm.householdID AND hl.mailing = 1
                                   AND hl.endDate IS NULL
LEFT JOIN dbo.Address a ON a.addressID = hl.addressID
GO

-- One row per attendance mark, with its excuse, period, school and the section it was taken in.
CREATE VIEW dbo.v_AttendanceDetail AS
SELECT a.attendanceID, a.personID, a.calendarID, c.schoolID, c.endYear, a.date, a.periodID,
       pd.name AS periodName, pd.seq AS periodSeq, a.excuseID, x.code AS excuseCode,
       x.description AS excuseDescription, ISNULL(x.status, a.status) AS status,
       ISNULL(x.excuse, a.excuse) AS excuse, a.presentMinutes, a.comments,
       sp.sectionID, se.courseID, co.number AS courseNumber, co.name AS courseName, sp.termID
FROM dbo.Attendance a
JOIN dbo.Calendar c ON c.calendarID = a.calendarID
JOIN dbo.Period pd ON pd.periodID = a.periodID
LEFT JOIN dbo.AttendanceExcuse x ON x.excuseID = a.excuseID
LEFT JOIN (dbo.Roster r
           JOIN dbo.SectionPlacement sp ON sp.sectionID = r.sectionID AND sp.trialID = r.trialID)
       ON r.personID = a.personID AND sp.periodID = a.periodID
      AND r.startDate <= a.date AND (r.endDate IS NULL OR r.endDate >= a.date)
LEFT JOIN dbo.Section se ON se.sectionID = sp.sectionID
LEFT JOIN dbo.Course co ON co.courseID = se.courseID
GO

-- One row per student and instructional day, as federal reporting counts it.
CREATE VIEW dbo.v_AttDayDetail_Federal AS
SELECT a.personID, a.calendarID, c.schoolID, c.endYear, a.date,
       SUM(CASE WHEN ISNULL(x.status, a.status) = 'A' THEN 1 ELSE 0 END) AS periodsAbsent,
       SUM(CASE WHEN ISNULL(x.status, a.status) = 'T' THEN 1 ELSE 0 END) AS periodsTardy,
       MAX(CASE WHEN ISNULL(x.excuse, a.excuse) = 'U' THEN 1 ELSE 0 END) AS unexcused
FROM dbo.Attendance a
JOIN dbo.Calendar c ON c.calendarID = a.calendarID
JOIN dbo.Day d ON d.calendarID = a.calendarID AND d.date = a.date AND d.instruction = 1
LEFT JOIN dbo.AttendanceExcuse x ON x.excuseID = a.excuseID
GROUP BY a.personID, a.calendarID, c.schoolID, c.endYear, a.date
GO

-- Posted grades with their task, term and course.
CREATE VIEW dbo.v_GradingScores AS
SELECT gs.scoreID, gs.personID, gs.calendarID, c.endYear, c.schoolID, gs.sectionID, se.courseID,
       co.number AS courseNumber, co.name AS courseName, gs.termID, te.name AS termName,
       gs.taskID, gt.name AS taskName, gt.gpa AS gpaTask, gs.score, gs.[percent], gs.comments
FROM dbo.GradingScore gs
JOIN dbo.Calendar c ON c.calendarID = gs.calendarID
JOIN dbo.Section se ON se.sectionID = gs.sectionID
JOIN dbo.Course co ON co.courseID = se.courseID
JOIN dbo.Term te ON te.termID = gs.termID
JOIN dbo.GradingTask gt ON gt.taskID = gs.taskID
GO

-- Every transcript line, with the student's name.
CREATE VIEW dbo.v_TranscriptDetail AS
SELECT tc.transcriptID, tc.personID, p.studentNumber, i.lastName, i.firstName, tc.startYear,
       tc.endYear, tc.grade, tc.schoolNumber, tc.schoolName, tc.courseNumber, tc.courseName,
       tc.score, tc.gpaValue, tc.gpaWeight, tc.creditsAttempted, tc.creditsEarned, tc.date
FROM dbo.TranscriptCourse tc
JOIN dbo.Person p ON p.personID = tc.personID
JOIN dbo.[Identity] i ON i.identityID = p.currentIdentityID
GO

-- Cumulative GPA, computed from the whole transcript every time it is read.
CREATE VIEW dbo.v_CumGPAFull AS
SELECT td.personID, td.studentNumber,
       SUM(td.gpaValue * td.gpaWeight) / NULLIF(SUM(td.gpaWeight), 0) AS cumGpaWeighted,
       AVG(td.gpaValue) AS cumGpaUnweighted,
       SUM(td.creditsAttempted) AS creditsAttempted, SUM(td.creditsEarned) AS creditsEarned,
       COUNT(*) AS transcriptCourses
FROM dbo.v_TranscriptDetail td
WHERE td.gpaWeight > 0
GROUP BY td.personID, td.studentNumber
GO

-- Courses and their sections, with the teacher and the calendar they belong to.
CREATE VIEW dbo.v_CourseSection AS
SELECT co.courseID, co.calendarID, c.endYear, c.schoolID, sch.name AS schoolName,
       co.number AS courseNumber, co.name AS courseName, co.stateCode, co.credits, co.active,
       se.sectionID, se.number AS sectionNumber, se.trialID, t.active AS activeTrial,
       se.teacherPersonID, ti.lastName AS teacherLastName, ti.firstName AS teacherFirstName,
       se.roomID, rm.name AS roomName, se.maxStudents, se.homeroomSection
FROM dbo.Course co
JOIN dbo.Calendar c ON c.calendarID = co.calendarID
JOIN dbo.School sch ON sch.schoolID = c.schoolID
JOIN dbo.Section se ON se.courseID = co.courseID
JOIN dbo.Trial t ON t.trialID = se.trialID
LEFT JOIN dbo.Person tp ON tp.personID = se.teacherPersonID
LEFT JOIN dbo.[Identity] ti ON ti.identityID = tp.currentIdentityID
LEFT JOIN dbo.Room rm ON rm.roomID = se.roomID
GO

-- When and where each section meets, and who teaches it.
CREATE VIEW dbo.v_SectionSchedule AS
SELECT sp.sectionID, sp.trialID, se.courseID, co.calendarID, c.endYear, c.schoolID, co.number AS courseNumber,
       co.name AS courseName, se.number AS sectionNumber, se.teacherPersonID, se.roomID, rm.name AS roomName,
       sp.termID, te.name AS termName, te.startDate AS termStartDate, te.endDate AS termEndDate, sp.periodID,
       pd.name AS periodName, pd.seq AS periodSeq, pd.startTime, pd.endTime
FROM dbo.SectionPlacement sp
JOIN dbo.Section se ON se.sectionID = sp.sectionID AND se.trialID = sp.trialID
JOIN dbo.Course co ON co.courseID = se.courseID
JOIN dbo.Calendar c ON c.calendarID = co.calendarID
JOIN dbo.Term te ON te.termID = sp.termID
JOIN dbo.Period pd ON pd.periodID = sp.periodID
LEFT JOIN dbo.Room rm ON rm.roomID = se.roomID
GO

-- Staff assignments at schools.
CREATE VIEW dbo.v_SchoolEmployment AS
SELECT ea.assignmentID, ea.personID, p.staffNumber, p.staffStateID, i.lastName, i.firstName,
       i.gender, ea.schoolID, sch.name AS schoolName, sch.number AS schoolNumber, ea.title,
       ea.teacher, ea.specialEd, ea.counselor, ea.startDate, ea.endDate
FROM dbo.EmploymentAssignment ea
JOIN dbo.Person p ON p.personID = ea.personID
JOIN dbo.[Identity] i ON i.identityID = p.currentIdentityID
JOIN dbo.School sch ON sch.schoolID = ea.schoolID
GO

-- District employment records.
CREATE VIEW dbo.v_DistrictEmployment AS
SELECT em.employmentID, em.personID, p.staffNumber, p.staffStateID, i.lastName, i.firstName,
       em.districtID, em.startDate, em.endDate
FROM dbo.Employment em
JOIN dbo.Person p ON p.personID = em.personID
JOIN dbo.[Identity] i ON i.identityID = p.currentIdentityID
GO

-- Staff as the staff search shows them, built on the school employment view.
CREATE VIEW dbo.StaffMember AS
SELECT se.personID, se.staffNumber, se.staffStateID, se.lastName, se.firstName, se.gender,
       se.schoolID, se.schoolName, se.schoolNumber, se.title, se.teacher, se.specialEd,
       se.counselor, se.startDate AS assignmentStartDate, se.endDate AS assignmentEndDate,
       ct.email, ct.workPhone, ua.username
FROM dbo.v_SchoolEmployment se
LEFT JOIN dbo.Contact ct ON ct.personID = se.personID
LEFT JOIN dbo.UserAccount ua ON ua.personID = se.personID AND ua.disable = 0
GO

-- Everyone Campus knows, with their current name and contact details.
CREATE VIEW dbo.Individual AS
SELECT p.personID, p.studentNumber, p.staffNumber, p.stateID, i.identityID, i.lastName,
       i.firstName, i.middleName, i.gender, i.birthdate, ct.homePhone, ct.workPhone,
       ct.cellPhone, ct.email
FROM dbo.Person p
JOIN dbo.[Identity] i ON i.identityID = p.currentIdentityID
LEFT JOIN dbo.Contact ct ON ct.personID = p.personID
GO

-- OneRoster classes: one row per section of the calendar's active trial.
CREATE VIEW dbo.v_OneRosterClasses AS
SELECT cs.sectionID AS sourcedId, cs.courseID, cs.calendarID, cs.endYear, cs.schoolID,
       cs.schoolID AS schoolSourcedId, cs.courseName + ' - ' + CAST(cs.sectionNumber AS varchar(10)) AS title,
       cs.courseNumber AS classCode, cs.teacherPersonID, cs.roomName AS location
FROM dbo.v_CourseSection cs
WHERE cs.activeTrial = 1
GO

-- OneRoster enrollments: students and teachers in each class.
CREATE VIEW dbo.v_OneRosterEnrollments AS
SELECT r.rosterID AS sourcedId, oc.sourcedId AS classSourcedId, r.personID AS userSourcedId,
       'student' AS role, oc.schoolID, oc.schoolSourcedId, oc.calendarID, oc.endYear,
       r.startDate AS beginDate, r.endDate
FROM dbo.Roster r
JOIN dbo.v_OneRosterClasses oc ON oc.sourcedId = r.sectionID
UNION ALL
SELECT -oc.sourcedId, oc.sourcedId, oc.teacherPersonID, 'teacher', oc.schoolID, oc.schoolSourcedId,
       oc.calendarID, oc.endYear, NULL, NULL
FROM dbo.v_OneRosterClasses oc
WHERE oc.teacherPersonID IS NOT NULL
GO
