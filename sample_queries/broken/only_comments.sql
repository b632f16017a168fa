-- expect: PA003
-- Author: Tom Reyes
/* the query for this extract is still to be written */
