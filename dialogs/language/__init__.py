"""Reading what students write: matching names and phrases, spotting misconceptions, grading
scenario steps. Pure functions over text and the knowledge base: no database, no features."""
