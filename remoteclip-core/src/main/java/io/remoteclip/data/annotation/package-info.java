/** Annotation readers (DOTA, VOC/DIOR-R/HRRSD/RSOD, HRSC, COCO, VisDrone, semantic masks) and the common model. */
package io.remoteclip.data.annotation;
