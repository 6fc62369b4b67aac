// A small Apple Health export.xml as the Health app writes it (the DOCTYPE with its internal
// DTD, ExportDate, Me, then records), for the tests of ops/apple_health.h through the library,
// the CLI and the server. What it holds, and what the import must make of it, is said beside
// each record; the numbers are checked in src/ops/apple_health_test.cc.
#ifndef MGADVISOR_OPS_APPLE_HEALTH_TEST_EXPORT_H_
#define MGADVISOR_OPS_APPLE_HEALTH_TEST_EXPORT_H_

#include <string>

namespace mg::testing {

// Everything before the first record.
inline std::string AppleHealthHeader() {
  return R"xml(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 13 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth         CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex       CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBloodType           CDATA #REQUIRED
  HKCharacteristicTypeIdentifierFitzpatrickSkinType CDATA #REQUIRED
  HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT Correlation ((MetadataEntry|Record)*)>
<!ATTLIST Correlation
  type          CDATA #REQUIRED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ELEMENT ActivitySummary EMPTY>
]>
<HealthData locale="en_US">
 <ExportDate value="2026-11-24 07:00:00 +0900"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1971-04-02" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>
)xml";
}

// 19 top-level records (4 of dietary magnesium, 12 of sleep analysis), a food correlation, a
// workout and an activity summary. Los Angeles (-0800) until 2026-11-20, then New York
// (-0500), then Tokyo (+0900) for the last night; the phone keeps -0800 for one night.
inline std::string AppleHealthExport() {
  return AppleHealthHeader() +
         R"xml( <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Anna’s iPhone" sourceVersion="17.1" device="&lt;&lt;HKDevice: 0x2836a1b30&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone14,5, software:17.1&gt;" unit="count" creationDate="2026-11-19 09:01:02 -0800" startDate="2026-11-19 08:50:11 -0800" endDate="2026-11-19 08:58:40 -0800" value="812"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Apple Watch" sourceVersion="10.1" unit="count/min" creationDate="2026-11-19 09:05:00 -0800" startDate="2026-11-19 09:04:58 -0800" endDate="2026-11-19 09:04:58 -0800" value="72">
  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>
 </Record>
 <Record type="HKQuantityTypeIdentifierDietaryMagnesium" sourceName="Cronometer" sourceVersion="3.27.4" unit="mg" creationDate="2026-11-20 08:15:00 -0800" startDate="2026-11-20 08:10:00 -0800" endDate="2026-11-20 08:10:00 -0800" value="120"/>
 <Record type="HKQuantityTypeIdentifierDietaryMagnesium" sourceName="MyFitnessPal" sourceVersion="23.44" unit="mg" creationDate="2026-11-20 12:05:00 -0800" startDate="2026-11-20 12:00:00 -0800" endDate="2026-11-20 12:00:00 -0800" value="60"/>
 <Record type="HKQuantityTypeIdentifierDietaryMagnesium" sourceName="Cronometer" sourceVersion="3.27.4" unit="mg" creationDate="2026-11-20 19:05:00 -0800" startDate="2026-11-20 19:00:00 -0800" endDate="2026-11-20 19:00:00 -0800" value="95.5"/>
 <Record type="HKQuantityTypeIdentifierDietaryMagnesium" sourceName="Cronometer" sourceVersion="3.27.4" unit="g" creationDate="2026-11-21 09:05:00 -0500" startDate="2026-11-21 09:00:00 -0500" endDate="2026-11-21 09:00:00 -0500" value="0.15"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Anna’s iPhone" sourceVersion="17.1" creationDate="2026-11-20 06:46:00 -0800" startDate="2026-11-19 22:30:00 -0800" endDate="2026-11-20 06:45:00 -0800" value="HKCategoryValueSleepAnalysisInBed"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Apple Watch" sourceVersion="10.1" creationDate="2026-11-20 06:50:00 -0800" startDate="2026-11-19 23:00:00 -0800" endDate="2026-11-20 02:00:00 -0800" value="HKCategoryValueSleepAnalysisAsleepCore"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Apple Watch" sourceVersion="10.1" creationDate="2026-11-20 06:50:00 -0800" startDate="2026-11-20 02:00:00 -0800" endDate="2026-11-20 03:00:00 -0800" value="HKCategoryValueSleepAnalysisAsleepDeep"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Apple Watch" sourceVersion="10.1" creationDate="2026-11-20 06:50:00 -0800" startDate="2026-11-20 03:00:00 -0800" endDate="2026-11-20 03:10:00 -0800" value="HKCategoryValueSleepAnalysisAwake"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Apple Watch" sourceVersion="10.1" creationDate="2026-11-20 06:50:00 -0800" startDate="2026-11-20 03:10:00 -0800" endDate="2026-11-20 06:30:00 -0800" value="HKCategoryValueSleepAnalysisAsleepREM"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Anna’s iPhone" sourceVersion="15.7" creationDate="2026-11-20 06:46:00 -0800" startDate="2026-11-19 23:15:00 -0800" endDate="2026-11-20 06:40:00 -0800" value="HKCategoryValueSleepAnalysisAsleep"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Apple Watch" sourceVersion="10.1" creationDate="2026-11-21 06:00:00 -0500" startDate="2026-11-20 22:30:00 -0500" endDate="2026-11-20 23:30:00 -0500" value="HKCategoryValueSleepAnalysisAsleepCore"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Apple Watch" sourceVersion="10.1" creationDate="2026-11-21 06:00:00 -0500" startDate="2026-11-20 23:40:00 -0500" endDate="2026-11-21 02:00:00 -0500" value="HKCategoryValueSleepAnalysisAsleepUnspecified"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Anna’s iPhone" sourceVersion="17.1" creationDate="2026-11-20 23:05:00 -0800" startDate="2026-11-20 20:40:00 -0800" endDate="2026-11-20 23:00:00 -0800" value="HKCategoryValueSleepAnalysisAsleepCore"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Anna’s iPhone" sourceVersion="17.1" creationDate="2026-11-22 07:01:00 -0500" startDate="2026-11-21 23:00:00 -0500" endDate="2026-11-22 07:00:00 -0500" value="HKCategoryValueSleepAnalysisInBed"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Apple Watch" sourceVersion="10.1" creationDate="2026-11-22 07:01:00 -0500" startDate="2026-11-22 03:00:00 -0500" endDate="2026-11-22 03:20:00 -0500" value="HKCategoryValueSleepAnalysisAwake"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Apple Watch" sourceVersion="10.1" creationDate="2026-11-24 06:40:00 +0900" startDate="2026-11-23 23:30:00 +0900" endDate="2026-11-24 06:30:00 +0900" value="HKCategoryValueSleepAnalysisAsleepCore"/>
 <Record type="HKQuantityTypeIdentifierDietaryEnergyConsumed" sourceName="Cronometer" sourceVersion="3.27.4" unit="kcal" creationDate="2026-11-20 08:15:00 -0800" startDate="2026-11-20 08:10:00 -0800" endDate="2026-11-20 08:10:00 -0800" value="410"/>
 <Correlation type="HKCorrelationTypeIdentifierFood" sourceName="Cronometer" sourceVersion="3.27.4" creationDate="2026-11-20 08:15:00 -0800" startDate="2026-11-20 08:10:00 -0800" endDate="2026-11-20 08:10:00 -0800">
  <MetadataEntry key="HKFoodType" value="Oatmeal with pumpkin seeds"/>
  <Record type="HKQuantityTypeIdentifierDietaryMagnesium" sourceName="Cronometer" sourceVersion="3.27.4" unit="mg" creationDate="2026-11-20 08:15:00 -0800" startDate="2026-11-20 08:10:00 -0800" endDate="2026-11-20 08:10:00 -0800" value="120"/>
 </Correlation>
 <Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="31.5" durationUnit="min" sourceName="Apple Watch" sourceVersion="10.1" creationDate="2026-11-21 18:40:00 -0500" startDate="2026-11-21 18:08:00 -0500" endDate="2026-11-21 18:39:30 -0500">
  <MetadataEntry key="HKIndoorWorkout" value="0"/>
 </Workout>
 <ActivitySummary dateComponents="2026-11-21" activeEnergyBurned="412.3" activeEnergyBurnedGoal="500" activeEnergyBurnedUnit="kcal" appleStandHours="11" appleStandHoursGoal="12"/>
</HealthData>
)xml";
}

}  // namespace mg::testing

#endif  // MGADVISOR_OPS_APPLE_HEALTH_TEST_EXPORT_H_
