"""Who wrote a file, read from its header comments: the report names the author it supports."""

import pytest

from advisor.frontend.header import author
from advisor.frontend.parse import read_script


@pytest.mark.parametrize(
    "header, expected",
    [
        ("-- Author: Jane Doe", "Jane Doe"),
        ("--Author:Jane Doe", "Jane Doe"),
        ("-- AUTHOR - Jane Doe", "Jane Doe"),
        ("/* Author: Jane Doe */", "Jane Doe"),
        ("/*\n  Created by: Jane Doe, 2024-05-01\n*/", "Jane Doe"),
        ("-- Written by Jane Doe on 3/4/2024", "Jane Doe"),
        ("-- Written by Jane Doe, September 4 2024", "Jane Doe"),
        ("-- Author: Marcus 3rd", "Marcus 3rd"),
        # what the file is for, after the name
        ("/* Written by J. Park - behavior incidents last 30 days */", "J. Park"),
        ("-- Created by Jane Doe \u2013 bus roster", "Jane Doe"),
        ("-- Author: Jane Doe | Data Services", "Jane Doe"),
        ("-- Created by Jane Doe for the transportation office", "Jane Doe"),
        ("-- Author: Mary Smith-Jones", "Mary Smith-Jones"),
        ("-- Author: Jane Doe <jdoe@district.org>", "Jane Doe"),
        # an address alone names its author well enough
        ("-- Created By: jdoe@district.org", "jdoe@district.org"),
        ("-- Author: <jdoe@district.org> 2024-05-01", "jdoe@district.org"),
        # SSMS's stored procedure template, filled in
        ("-- =============================================\n-- Author:\t\tJane Doe\n-- Create date: 2024-01-01\n"
         "-- =============================================", "Jane Doe"),
        # nothing said: a template's placeholder, a blank, a date
        ("-- Author: <Author,,Name>", None),
        ("-- Author:", None),
        ("-- Author: 2024-05-01", None),
        ("-- Author: May 3, 2024", None),
        ("-- Author: TBD", None),
        ("-- Author: TODO", None),
        ("-- Author: Your Name Here", None),
        # the other words districts use for who owns a file
        ("-- Owner: Dana Fox", "Dana Fox"),
        ("/* Report: bus roster\n   Developer: Chris Ng */", "Chris Ng"),
        ("-- Maintained by Lee Park, 2025-08-01", "Lee Park"),
        ("-- Ownership: none", None),
        # said in an aside of another line
        ("-- SSRS: Enrollment counts by date range (Author: G. Ruiz)", "G. Ruiz"),
        ("-- Report: bus roster | Created by: Lee Park | 2025-08-01", "Lee Park"),
        ("-- Nightly extract [written by Jane Doe, 2024-05-01]", "Jane Doe"),
        ("/* Guardians with email - written by M. Chen */", "M. Chen"),
        ("-- Bus roster \u2013 Author: Lee Park", "Lee Park"),
        ("-- Created 01/05/2022 by Jane Doe", "Jane Doe"),
        ("-- Written on 2024-05-01 by: Jane Doe", "Jane Doe"),
        ("-- Bus roster - created 2024-05-01 by Lee Park", "Lee Park"),
        ("-- Active students - counted by school", None),
        ("-- Lists each section's author (teacher) and room", None),
    ],
)
def test_the_author_is_read_from_the_header(header, expected):
    assert author(read_script(f"{header}\nSELECT sch.name FROM School sch\n")) == expected


def test_a_comment_after_the_first_statement_is_not_the_header():
    assert author(read_script("SELECT sch.name FROM School sch\n-- Author: Jane Doe\n")) is None


def test_the_header_ssms_script_as_writes_after_use_and_set_options_is_the_file_s():
    script = ("USE [campus]\nGO\n/****** Object:  StoredProcedure [dbo].[usp_AttRpt] ******/\nSET ANSI_NULLS ON\nGO\n"
              "SET QUOTED_IDENTIFIER ON\nGO\n-- ===========\n-- Author:\t\tJane Roe\n-- ===========\n"
              "CREATE PROCEDURE dbo.usp_AttRpt AS SELECT sch.name FROM School sch\nGO\n")
    assert author(read_script(script)) == "Jane Roe"
    # a statement that does something ends the header
    assert author(read_script("SET NOCOUNT ON\nDECLARE @y int = 2026\n-- Author: Jane Roe\nSELECT @y\n")) is None
